import Foundation
import Hummingbird

extension ArchiveServer {
    /// A `true`/`false` parameter of an export route (`utc`, `deleted`): absent is false; any other value is refused
    /// with `400 {"error": …}` rather than read as false.
    static func exportFlag(_ query: [String: String], _ name: String) throws -> Bool {
        switch query[name] {
        case nil, "false": return false
        case "true": return true
        case let other?:
            throw ServeRefusal(
                response: ServeResponses.encoded(
                    ["error": "\(name) takes true or false, not \(other)"], status: .badRequest))
        }
    }

    /// A message-id bound of an export route (`after`, `before`): absent is none; a value that is not a snowflake
    /// is refused with `400 {"error": …}` rather than ignored (an ignored bound exports the whole channel).
    static func exportBound(_ query: [String: String], _ name: String) throws -> UInt64? {
        guard let text = query[name] else { return nil }
        guard let id = UInt64(text) else {
            throw ServeRefusal(
                response: ServeResponses.encoded(
                    ["error": "\(name) takes a message id (a number), not \(text)"], status: .badRequest))
        }
        return id
    }
}

import Foundation

/// A request's query string, percent-decoded; the first value of each key wins, repeated keys are kept.
struct QueryParameters: Sendable {
    private(set) var values: [String: String] = [:]

    init(_ query: String?) {
        guard let query, !query.isEmpty else { return }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let rawKey = parts[0].replacingOccurrences(of: "+", with: " ")
            guard let key = CDNPaths.decode(Substring(rawKey)) else { continue }
            let rawValue = parts.count > 1 ? parts[1].replacingOccurrences(of: "+", with: " ") : ""
            let value = CDNPaths.decode(Substring(rawValue)) ?? rawValue
            if values[key] == nil { values[key] = value }
        }
    }

    subscript(_ key: String) -> String? { values[key] }

    func has(_ key: String) -> Bool { values[key] != nil }

    /// Discord booleans: true/True/1 and false/False/0.
    func bool(_ key: String) -> Bool {
        guard let value = values[key] else { return false }
        return value == "true" || value == "True" || value == "1"
    }
}

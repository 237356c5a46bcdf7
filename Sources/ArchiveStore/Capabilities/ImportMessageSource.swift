import Foundation

/// One import file read message by message inside a store's transaction (see
/// ``ImportStore/importDirectly(_:)``): its batches are read synchronously as the store writes them, so nothing is
/// staged and written twice. A source that throws makes the store roll the whole file back.
public protocol ImportMessageSource: AnyObject, Sendable {
    /// The file's name as recorded in `message_source`.
    var source: String { get }
    /// The file's `exportedAt` (ties in the merge rule), known before the first batch.
    var exportedAt: Date? { get }
    /// The next batch of messages, or `nil` once the file has been read to its end and found well formed.
    func nextBatch() throws -> [ImportedMessage]?
    /// The channel header, after the last batch.
    func channelHeader() throws -> ImportedChannel
}

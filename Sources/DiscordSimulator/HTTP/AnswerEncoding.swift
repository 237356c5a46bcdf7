import NIOConcurrencyHelpers

/// How one API request's JSON answer is encoded (``ContentCoding``), and what compressing it took, for the stats.
final class AnswerEncoding: Sendable {
    /// The coding the request accepts.
    let coding: ContentCoding
    private let sizes = NIOLockedValueBox<(bytesIn: Int, bytesOut: Int)?>(nil)

    init(coding: ContentCoding) { self.coding = coding }

    /// Notes an answer compressed from `bytesIn` to `bytesOut` bytes.
    func record(bytesIn: Int, bytesOut: Int) { sizes.withLockedValue { $0 = (bytesIn, bytesOut) } }

    /// The compressed answer's sizes, if one was compressed.
    var compressed: (bytesIn: Int, bytesOut: Int)? { sizes.withLockedValue { $0 } }
}

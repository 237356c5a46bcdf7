/// A request's `Range` header as a media file answers it (RFC 9110 §14): one `bytes=` range, whole file otherwise.
///
/// Browsers ask for ranges to seek in a video or audio file and to resume a download; several ranges at once
/// (multipart answers) are rare and answered with the whole file, which the RFC allows.
enum ByteRangeRequest: Equatable {
    /// No range, an unreadable one, or several: the whole file (200).
    case whole
    /// These bytes of the file (206).
    case part(ClosedRange<Int>)
    /// A range that starts past the end (416).
    case unsatisfiable

    /// Reads `header` (`bytes=0-99`, `bytes=100-`, `bytes=-100`) against a file of `size` bytes.
    init(header: String?, size: Int) {
        guard let header, header.hasPrefix("bytes="), size > 0 else {
            self = .whole
            return
        }
        let spec = header.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        let bounds = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard !spec.contains(","), bounds.count == 2 else {
            self = .whole
            return
        }
        let first = bounds[0].trimmingCharacters(in: .whitespaces)
        let last = bounds[1].trimmingCharacters(in: .whitespaces)
        let isDigits = { (text: String) in !text.isEmpty && text.allSatisfy(\.isASCII) && text.allSatisfy(\.isNumber) }
        if first.isEmpty {
            // The last N bytes.
            guard isDigits(last), let count = Int(last), count > 0 else {
                self = isDigits(last) ? .unsatisfiable : .whole
                return
            }
            self = .part(max(0, size - count)...(size - 1))
            return
        }
        guard isDigits(first), let start = Int(first), last.isEmpty || isDigits(last) else {
            self = .whole
            return
        }
        guard start < size else {
            self = .unsatisfiable
            return
        }
        let end = last.isEmpty ? size - 1 : min(Int(last) ?? size - 1, size - 1)
        self = end < start ? .whole : .part(start...end)
    }
}

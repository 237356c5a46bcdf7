/// The content codings of an `Accept-Encoding` request header (RFC 9110 §12.5.3), as far as the simulator answers
/// them: gzip or identity.
///
/// Discord's front end compresses an answer only when the request asks for it: a request without the header gets
/// identity (RFC 9110 would allow any coding then; real servers, Discord's included, do not take that liberty).
enum ContentCoding: Equatable, Sendable {
    case identity
    case gzip

    /// The coding for a request with this `Accept-Encoding` value (nil: no header): gzip when `gzip` (or its alias
    /// `x-gzip`, §8.4.1.3) is listed with a weight above 0, or `*` is and gzip is not listed; identity otherwise.
    static func negotiated(acceptEncoding: String?) -> ContentCoding {
        guard let acceptEncoding else { return .identity }
        var gzipWeight: Double?
        var anyWeight: Double?
        for member in acceptEncoding.split(separator: ",") {
            let parameters = member.split(separator: ";")
            guard let name = parameters.first.map(trimmed)?.lowercased(), !name.isEmpty else { continue }
            var weight = 1.0
            for parameter in parameters.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map(trimmed)
                if pair.count == 2, pair[0].lowercased() == "q" { weight = Double(pair[1]) ?? 0 }
            }
            switch name {
            case "gzip", "x-gzip": gzipWeight = max(gzipWeight ?? 0, weight)
            case "*": anyWeight = weight
            default: break
            }
        }
        let weight = gzipWeight ?? anyWeight ?? 0
        return weight > 0 ? .gzip : .identity
    }

    private static func trimmed(_ text: Substring) -> String {
        String(text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

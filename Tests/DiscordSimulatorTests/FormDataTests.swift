import FormData
import NIOCore
import Testing

/// The `multipart/form-data` reading both simulators share: the boundary from the header, each part's name,
/// filename, type and bytes, and malformed bodies refused.
@Suite struct FormDataTests {
    @Test func boundaryIsReadQuotedOrBareAndBeforeOtherParameters() {
        #expect(FormData.boundary(of: "multipart/form-data; boundary=abc") == "abc")
        #expect(FormData.boundary(of: "multipart/form-data; boundary=\"a b\"") == "a b")
        #expect(FormData.boundary(of: "multipart/form-data; boundary=xyz; charset=utf-8") == "xyz")
        #expect(FormData.boundary(of: "multipart/form-data") == nil)
        #expect(FormData.boundary(of: "multipart/form-data; boundary=") == nil)
    }

    @Test func partsComeWithTheirHeadersAndBytes() {
        let body =
            "--b\r\nContent-Disposition: form-data; name=\"payload_json\"\r\nContent-Type: application/json\r\n\r\n"
            + "{\"content\":\"hi\"}\r\n"
            + "--b\r\nContent-Disposition: form-data; name=\"files[0]\"; filename=\"a.txt\"\r\n"
            + "Content-Type: text/plain\r\n\r\nhello\r\n--b--\r\n"
        var bytes: [String: [UInt8]] = [:]
        var parts: [FormData.PartHeaders] = []
        let read = FormData.read(
            ByteBuffer(string: body), contentType: "multipart/form-data; boundary=b",
            bytes: { part, chunk in bytes[part.name, default: []] += chunk.readableBytesView },
            complete: { parts.append($0) })
        #expect(read)
        #expect(
            parts == [
                .init(name: "payload_json", filename: nil, contentType: "application/json"),
                .init(name: "files[0]", filename: "a.txt", contentType: "text/plain"),
            ])
        #expect(bytes["payload_json"] == Array("{\"content\":\"hi\"}".utf8))
        #expect(bytes["files[0]"] == Array("hello".utf8))
    }

    @Test func aBodyWithoutPartsGivesNoneAndAHeaderWithoutBoundaryIsRefused() {
        var completed = 0
        _ = FormData.read(
            ByteBuffer(string: "not a multipart body"), contentType: "multipart/form-data; boundary=b",
            bytes: { _, _ in }, complete: { _ in completed += 1 })
        let noBoundary = FormData.read(
            ByteBuffer(string: "--b\r\n\r\n--b--\r\n"), contentType: "multipart/form-data", bytes: { _, _ in },
            complete: { _ in completed += 1 })
        #expect(completed == 0)
        #expect(!noBoundary)
    }
}

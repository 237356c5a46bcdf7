import NIOCore
import Testing

@testable import DiscordSimulator

/// The simulator's `multipart/form-data` reader on its own: framing, headers, malformed bodies.
@Suite struct MultipartFormTests {
    static let type = "multipart/form-data; boundary=\"b-1\""

    static func form(_ text: String) -> MultipartForm? {
        MultipartForm(body: ByteBuffer(string: text), contentType: type)
    }

    @Test func partsWithHeadersPreambleAndPadding() throws {
        let form = try #require(
            Self.form(
                "preamble\r\n--b-1  \r\nContent-Disposition: form-data; name=\"payload_json\"\r\n"
                    + "content-type:application/json\r\n\r\n{\"a\":1}\r\n--b-1\r\n"
                    + "Content-Disposition: form-data; name=\"files[0]\"; filename=\"x.bin\"\r\n\r\n"
                    + "line\r\n--b-\r\n\r\n--b-1--\r\nepilogue"))
        #expect(form.parts.map(\.name) == ["payload_json", "files[0]"])
        #expect(form.parts[0].contentType == "application/json")
        #expect(String(decoding: form.parts[0].body, as: UTF8.self) == "{\"a\":1}")
        #expect(form.parts[1].filename == "x.bin")
        #expect(form.parts[1].contentType == nil)
        // `--b-` is not the delimiter: only a whole `CRLF--b-1` ends the part.
        #expect(String(decoding: form.parts[1].body, as: UTF8.self) == "line\r\n--b-\r\n")
    }

    @Test func partWithoutHeadersAndEmptyBody() throws {
        let form = try #require(Self.form("--b-1\r\n\r\n\r\n--b-1--"))
        #expect(form.parts.count == 1)
        #expect(form.parts[0].name == "")
        #expect(form.parts[0].body.isEmpty)
    }

    @Test func malformedBodiesAreRefused() {
        #expect(Self.form("") == nil)
        #expect(Self.form("--b-1--\r\n") == nil)  // no part
        #expect(Self.form("--b-1\r\nContent-Type: a\r\n\r\nbody without a closing delimiter") == nil)
        #expect(Self.form("--b-1\r\nno colon here\r\n\r\nx\r\n--b-1--") == nil)
        #expect(Self.form("--b-1 junk\r\n\r\nx\r\n--b-1--") == nil)
        #expect(MultipartForm(body: ByteBuffer(string: "--b-1--"), contentType: "multipart/form-data") == nil)
    }
}

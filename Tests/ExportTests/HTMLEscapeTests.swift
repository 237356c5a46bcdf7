import Export
import Testing

/// Escaping for element content and attributes, and the URLs allowed in `href`/`src` (the fast paths for plain
/// text and `http(s)` URLs answer as the general ones do).
@Suite struct HTMLEscapeTests {
    @Test func textEscapesTheFiveCharactersOnly() {
        #expect(HTMLEscape.text("plain ᚱ text 😀") == "plain ᚱ text 😀")
        #expect(HTMLEscape.text(#"<a href="x">'&'</a> ᚱ"#) == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt; ᚱ")
        #expect(HTMLEscape.text("") == "")
    }

    @Test(arguments: [
        ("https://cdn.example/a.png?x=1&y=2", "https://cdn.example/a.png?x=1&amp;y=2"),
        ("HTTP://EXAMPLE.COM/", "HTTP://EXAMPLE.COM/"),
        ("  https://example.com/ ", "https://example.com/"),
        ("https://example.com/\"onerror=\"x", "https://example.com/&quot;onerror=&quot;x"),
        ("javascript:alert(1)", "#"), (" JavaScript:alert(1)", "#"), ("data:text/html,x", "#"),
        ("httpx://example.com", "#"), ("http:/example.com", "http:/example.com"),
        ("/media/ab/cat.png", "/media/ab/cat.png"), ("file:///tmp/my%20media/a.png", "file:///tmp/my%20media/a.png"),
        ("ab/c:d", "ab/c:d"), ("", "#"), ("   ", "#"),
    ])
    func urlsKeepWebAndRelativeOnes(_ url: String, _ expected: String) {
        #expect(HTMLEscape.url(url) == expected)
    }
}

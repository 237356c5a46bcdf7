import Testing

@testable import Export

/// The link DCE 2.41+ writes for a downloaded asset (`ExportContext.ResolveAssetUrlAsync`, `Url.EncodeFilePath`),
/// which `export --media` writes for archived and imported files alike.
@Suite struct DCEAssetLinkTests {
    @Test(arguments: [
        // Inside the output folder: relative (the default `… .json_Files/`, a --media-dir below it).
        (
            "/exports/out", "/exports/out/general [1].json_Files/photo-0123456789abcdef.png", false,
            "general [1].json_Files/photo-0123456789abcdef.png"
        ),
        ("/exports/out/", "/exports/out/./media/../media/a.png", false, "media/a.png"),
        // Outside: the absolute path (before, Skald wrote `../…`).
        ("/exports/out", "/exports/media/a.png", false, "/exports/media/a.png"),
        ("/exports/out/deep", "/exports/out/a.png", false, "/exports/out/a.png"),
        // HTML: percent-encoded as .NET's Uri.EscapeDataString, `:` and `/` kept, an absolute path as file://.
        (
            "/exports/out", "/exports/out/general [1].json_Files/été ü+&.png", true,
            "general%20%5B1%5D.json_Files/%C3%A9t%C3%A9%20%C3%BC%2B%26.png"
        ),
        ("/exports/out", "/my media/a:b~c_d-e.png", true, "file:///my%20media/a:b~c_d-e.png"),
    ])
    func linksAsDCE(_ folder: String, _ file: String, _ html: Bool, _ expected: String) {
        #expect(DCEAssetLink(outputDirectory: folder, encodedForHTML: html).link(toFile: file) == expected)
    }

    /// Files written at several depths (windowed exports) link every asset absolutely.
    @Test func withoutAFolderEveryLinkIsAbsolute() {
        #expect(DCEAssetLink(outputDirectory: nil, encodedForHTML: false).link(toFile: "/a/b/../c.png") == "/a/c.png")
    }

    /// DCE turns a backslash into a slash in HTML, on Linux too.
    @Test func htmlTurnsBackslashesIntoSlashes() {
        #expect(DCEAssetLink.encodedFilePath(#"media\a b.png"#) == "media/a%20b.png")
    }
}

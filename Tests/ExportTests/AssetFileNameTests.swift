import Testing

@testable import Export

/// The names `export --media` gives downloaded assets: DCE 2.47's `ExportAssetDownloader.GetFileNameFromUrl`
/// (dce-json.md §14.2). Expected hashes are the first 16 hex digits of SHA-256 over the normalized URL, computed
/// apart (Python's hashlib).
@Suite struct AssetFileNameTests {
    @Test(arguments: [
        // Discord's CDN: the query follows the path without its `?` (.NET's NameValueCollection text).
        ("https://cdn.discordapp.com/avatars/1/abcd.png?size=512", "abcd-d80a40cbc79d41e8.png"),
        ("https://cdn.discordapp.com/emojis/5.png?size=64&quality=lossless", "5-92e861eb9e4dc678.png"),
        // A signed attachment: `ex`, `is` and `hm` dropped, so every signature of one file gives one name.
        (
            "https://cdn.discordapp.com/attachments/1/2/photo.png?ex=65e1c2d3&is=65cf4dd3&hm=00ab&",
            "photo-f5f7ad0778227d5f.png"
        ),
        ("https://cdn.discordapp.com/attachments/1/2/photo.png?ex=1&is=2&hm=3&", "photo-f5f7ad0778227d5f.png"),
        ("https://cdn.discordapp.com/attachments/1/2/photo.png?ex=1&size=80&is=2&hm=3", "photo-3e93d8f682c9ce4f.png"),
        // Another host: the URL hashed as it is.
        (
            "https://cdn.jsdelivr.net/gh/twitter/twemoji@latest/assets/svg/1f44d.svg",
            "1f44d-27259a90ef10d877.svg"
        ),
        // No name after the last `/`: the hash alone; characters DCE refuses in a file name become `_`.
        ("https://example.org/", "8198d1bac40a1033"),
        ("https://example.org/a:b*c.png", "a_b_c-86b2ded772c64a9e.png"),
        // A long stem is cut to 42 characters; an "extension" over 41 characters is part of the name.
        (
            "https://example.org/" + String(repeating: "x", count: 50) + ".png",
            String(repeating: "x", count: 42) + "-b3c1b2c83797a712.png"
        ),
        (
            "https://example.org/a." + String(repeating: "y", count: 45),
            "a." + String(repeating: "y", count: 40) + "-a5e06c047cde57b8"
        ),
    ])
    func namesAsDCE(_ url: String, _ expected: String) {
        #expect(AssetFileName.name(for: url) == expected)
    }
}

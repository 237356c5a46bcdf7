import Export
import Testing

/// Discord markdown to HTML: every construct, names from the archive, and hostile text inert.
@Suite struct DiscordMarkdownHTMLTests {
    static let names: MarkdownNames = {
        var names = MarkdownNames()
        names.users = [80_351_110_224_678_912: "Nelly <b>"]
        names.channels = [103_735_883_630_395_392: "general"]
        names.roles = [165_511_591_545_143_296: "Mods"]
        return names
    }()

    func html(_ text: String, channelLinks: String? = nil) -> String {
        DiscordMarkdownHTML(names: Self.names, channelLinkPrefix: channelLinks).render(text)
    }

    @Test(arguments: [
        ("**bold**", "<strong>bold</strong>"),
        ("*italic* and _also_", "<em>italic</em> and <em>also</em>"),
        ("__under__", "<u>under</u>"),
        ("~~gone~~", "<s>gone</s>"),
        ("||secret||", "<span class=\"md-spoiler\">secret</span>"),
        ("***both***", "<strong><em>both</em></strong>"),
        ("**bold *and italic***", "<strong>bold <em>and italic</em></strong>"),
        ("snake_case_name", "snake_case_name"),
        ("2 * 3 * 4", "2 * 3 * 4"),
        ("\\*not italic\\*", "*not italic*"),
        ("`a <b> *c*`", "<code class=\"md-code\">a &lt;b&gt; *c*</code>"),
        ("``with ` tick``", "<code class=\"md-code\">with ` tick</code>"),
    ])
    func inlineFormatting(_ text: String, _ expected: String) {
        #expect(html(text) == expected)
    }

    @Test func codeBlockKeepsItsTextAndLanguage() {
        #expect(
            html("before\n```swift\nlet x = \"<y>\" **no**\n```\nafter")
                == "before<pre class=\"md-codeblock\"><code data-lang=\"swift\">let x = &quot;&lt;y&gt;&quot; **no**"
                + "</code></pre>after")
        #expect(html("```one line```") == "<pre class=\"md-codeblock\"><code>one line</code></pre>")
    }

    @Test func blocksQuotesHeadingsListsSubtext() {
        #expect(
            html("> quoted **x**\n> more\nplain")
                == "<blockquote class=\"md-quote\">quoted <strong>x</strong>\nmore</blockquote>plain")
        #expect(html(">>> all\nof it") == "<blockquote class=\"md-quote\">all\nof it</blockquote>")
        #expect(
            html("# Big\n## Less\n### Least")
                == "<h1 class=\"md-heading\">Big</h1><h2 class=\"md-heading\">Less</h2><h3 class=\"md-heading\">Least</h3>"
        )
        #expect(html("#notaheading") == "#notaheading")
        #expect(
            html("- one\n- *two*\n3. three\n4. four")
                == "<ul class=\"md-list\"><li>one</li><li><em>two</em></li></ul>"
                + "<ol class=\"md-list\" start=\"3\"><li>three</li><li>four</li></ol>")
        #expect(html("-# small print") == "<div class=\"md-subtext\">small print</div>")
    }

    @Test func mentionsUseArchivedNamesEscaped() {
        #expect(
            html("hi <@80351110224678912> and <@!80351110224678912>")
                == "hi <span class=\"md-mention\" data-user-id=\"80351110224678912\">@Nelly &lt;b&gt;</span> and "
                + "<span class=\"md-mention\" data-user-id=\"80351110224678912\">@Nelly &lt;b&gt;</span>")
        #expect(html("<@&165511591545143296>") == "<span class=\"md-mention\">@Mods</span>")
        #expect(html("<@&1>") == "<span class=\"md-mention\">@deleted-role</span>")
        #expect(html("<#1>") == "<span class=\"md-mention\">#deleted-channel</span>")
        #expect(
            html("<#103735883630395392>", channelLinks: "/channels/")
                == "<a class=\"md-mention\" href=\"/channels/103735883630395392\">#general</a>")
        #expect(html("@everyone look") == "<span class=\"md-mention\">@everyone</span> look")
        #expect(html("mail@everyone.com") == "mail@everyone.com")
    }

    @Test func customEmojiAndTimestamps() {
        #expect(
            html("<:blob:123>")
                == "<img class=\"md-emoji\" src=\"https://cdn.discordapp.com/emojis/123.png\" alt=\":blob:\" "
                + "title=\":blob:\" loading=\"lazy\">")
        #expect(html("<a:dance:9>").contains("emojis/9.gif"))
        let stamp = html("<t:1700000000:D>")
        #expect(stamp.hasPrefix("<time class=\"md-time\" datetime=\"2023-11-14T22:13:20+00:00\""))
        #expect(stamp.hasSuffix(">Tuesday, November 14, 2023</time>"))
        #expect(html("<t:1700000000>").hasSuffix(">Tuesday, November 14, 2023 10:13 PM</time>"))
        #expect(html("<t:abc>") == "&lt;t:abc&gt;")
    }

    @Test func linksAreWebOnly() {
        #expect(
            html("see https://example.com/a_(b), ok")
                == "see <a class=\"md-link\" href=\"https://example.com/a_(b)\" rel=\"noopener noreferrer nofollow\" "
                + "target=\"_blank\">https://example.com/a_(b)</a>, ok")
        #expect(
            html("[**site**](https://example.com)")
                == "<a class=\"md-link\" href=\"https://example.com\" rel=\"noopener noreferrer nofollow\" "
                + "target=\"_blank\"><strong>site</strong></a>")
        #expect(html("[x](javascript:alert(1))") == "[x](javascript:alert(1))")
        #expect(html("<https://example.com>").contains("href=\"https://example.com\""))
    }

    @Test func hostileTextIsInert() {
        let out = html("<script>alert(\"x\")</script><img src=x onerror=alert(2)> [a](https://e.com\" onmouseover=\"x)")
        #expect(!out.contains("<script"))
        #expect(!out.contains("<img src=x"))
        #expect(!out.contains("\" onmouseover"))
        #expect(out.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"))
        #expect(HTMLEscape.url("javascript:alert(1)") == "#")
        #expect(HTMLEscape.url(" JaVaScRiPt:alert(1)") == "#")
        #expect(HTMLEscape.url("data:text/html,x") == "#")
        #expect(HTMLEscape.url("media/a b.png") == "media/a b.png")
    }
}

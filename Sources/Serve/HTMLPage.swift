import Export

/// The page frame of the viewer: a title, a search box and the body, with the embedded style sheet and the
/// viewer's one script (`/assets/viewer.js`, never inline).
enum HTMLPage {
    /// A whole page; `title` is escaped here, `body` must already be escaped HTML.
    static func render(title: String, body: String, query: String = "") -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
        <title>\(HTMLEscape.text(title)) · Skald</title><style>\(ViewerAssets.css)</style>
        <script src="/assets/viewer.js" defer></script></head>
        <body><header><a href="/">Skald</a><form action="/search" method="get">\
        <input type="search" name="q" value="\(HTMLEscape.text(query))" aria-label="Search" placeholder="Search: words \
        &quot;phrase&quot; -not from: in: has: before: after: during: pinned:"></form></header>
        <main><h1 class="title">\(HTMLEscape.text(title))</h1>
        \(body)
        </main></body></html>
        """
    }
}

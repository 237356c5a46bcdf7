/// The page frame of the viewer: a title, a search box and the body, with the embedded style sheet. No script.
enum HTMLPage {
    /// A whole page; `title` is escaped here, `body` must already be escaped HTML.
    static func render(title: String, body: String, query: String = "") -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
        <title>\(HTMLText.escape(title)) · Skald</title><style>\(style)</style></head>
        <body><header><a href="/">Skald</a><form action="/search" method="get">\
        <input type="search" name="q" value="\(HTMLText.escape(query))" placeholder="Search: words &quot;phrase&quot; \
        -not from: in: before: after: during: pinned:"></form></header>
        <main><h1>\(HTMLText.escape(title))</h1>
        \(body)
        </main></body></html>
        """
    }

    static let style = """
        body{margin:0;font:15px/1.4 system-ui,sans-serif;background:#313338;color:#dbdee1}\
        a{color:#00a8fc}header{display:flex;gap:1em;align-items:center;padding:.5em 1em;background:#1e1f22}\
        header input{width:32em;max-width:60vw;padding:.3em;background:#383a40;color:#dbdee1;border:0}\
        main{padding:0 1em 2em}h1{font-size:1.2em}.day{text-align:center;color:#949ba4;font-size:.8em;\
        border-top:1px solid #3f4147;margin:1em 0 .5em}.group{margin:.6em 0}.author{font-weight:600;color:#f2f3f5}\
        time{color:#949ba4;font-size:.75em;margin-left:.5em}.msg{white-space:pre-wrap;word-wrap:break-word;\
        padding:.1em .3em}.msg:target{background:#444b3a}.deleted{text-decoration:line-through;color:#a0a0a0}\
        .edited,.note{color:#949ba4;font-size:.75em}.nav{display:flex;justify-content:space-between;margin:1em 0}\
        ul.channels li.thread{margin-left:1.5em}.snippet{white-space:pre-wrap}mark{background:#5865f2;color:#fff}\
        .reaction{background:#2b2d31;border-radius:4px;padding:0 .4em;font-size:.85em}
        """
}

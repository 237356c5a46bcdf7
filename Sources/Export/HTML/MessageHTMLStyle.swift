/// The style sheet of rendered messages (``MessageBodyHTML`` and ``DiscordMarkdownHTML`` classes), dark or light,
/// shared by the HTML export and the viewer so both read alike.
public enum MessageHTMLStyle {
    /// The CSS for messages.
    public static func css(dark: Bool) -> String {
        let (fg, muted, border, embed, code, mention, spoiler) =
            dark
            ? ("#dcddde", "#a3a6aa", "#4f545c", "#2f3136", "#2b2d31", "rgba(88,101,242,.3)", "#1e1f22")
            : ("#2e3338", "#747f8d", "#e3e5e8", "#f2f3f5", "#f2f3f5", "rgba(88,101,242,.15)", "#c4c9ce")
        return """
            .chatlog__content{white-space:pre-wrap;word-wrap:break-word;color:\(fg)}\
            .chatlog__system{color:\(muted);font-style:italic}.chatlog__timestamp{margin-left:.3rem;color:\(muted);\
            font-size:.75rem}.chatlog__attachment{margin-top:.3rem}.chatlog__attachment img,.chatlog__attachment video{\
            max-width:min(45vw,520px);max-height:350px;border-radius:3px}.chatlog__embed{margin-top:.3rem;padding:\
            .5rem .75rem;background:\(embed);border-left:4px solid \(border);border-radius:3px;max-width:520px}\
            .chatlog__embed-author{font-size:.875rem;font-weight:600}.chatlog__embed-title{font-weight:600}\
            .chatlog__embed-fields{display:flex;flex-wrap:wrap;gap:.25rem 1rem}.chatlog__embed-field{flex:1 0 100%}\
            .chatlog__embed-field--inline{flex:1 0 30%}.chatlog__embed-field-name{font-weight:600;font-size:.875rem}\
            .chatlog__embed-image img{max-width:100%;max-height:300px;border-radius:3px;margin-top:.3rem}\
            .chatlog__embed-footer{color:\(muted);font-size:.75rem;margin-top:.3rem}.chatlog__forwarded{border-left:\
            4px solid \(border);padding-left:.6rem}.chatlog__reactions{margin-top:.3rem}.chatlog__reaction{\
            display:inline-block;margin:0 .1rem 0 0;padding:.125rem .375rem;border-radius:8px;background:\(embed);\
            font-size:.875rem}.chatlog__emoji{width:1.375em;height:1.375em;vertical-align:-.4em}.chatlog__sticker{\
            width:180px;height:180px}.chatlog__sticker--text{width:auto;height:auto;color:\(muted)}\
            .md-code{font-family:Consolas,"Courier New",monospace;font-size:.85em;background:\(code);padding:0 .2em;\
            border-radius:3px}.md-codeblock{font-family:Consolas,"Courier New",monospace;font-size:.85em;background:\
            \(code);border:1px solid \(border);border-radius:4px;padding:.5em;white-space:pre-wrap;margin:.3em 0;\
            max-width:90%}.md-quote{margin:.2em 0;padding-left:.7em;border-left:4px solid \(border)}\
            .md-heading{margin:.3em 0;line-height:1.3}h1.md-heading{font-size:1.5em}h2.md-heading{font-size:1.25em}\
            h3.md-heading{font-size:1.1em}.md-subtext{font-size:.8em;color:\(muted)}.md-list{margin:.2em 0;\
            padding-left:1.5em;white-space:normal}.md-mention{background:\(mention);border-radius:3px;padding:0 2px;\
            font-weight:500;color:inherit;text-decoration:none}.md-spoiler{background:\(spoiler);color:transparent;\
            border-radius:3px}.md-spoiler:hover,.md-spoiler:focus{color:inherit;background:\(embed)}\
            .md-emoji{width:1.375em;height:1.375em;vertical-align:-.3em}.md-time{background:\(code);\
            border-radius:3px;padding:0 2px}
            """
    }
}

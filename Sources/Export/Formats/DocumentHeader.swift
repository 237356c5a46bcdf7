import DiscordModels

/// What every exported document starts with: the DCE `guild` and `channel` objects and the date range.
struct DocumentHeader {
    var guild: JSONValue
    var channel: JSONValue
    /// `dateRange.after`/`before` in DCE's timestamp text, or `nil`.
    var after: String?
    var before: String?
    /// `exportedAt` in DCE's timestamp text.
    var exportedAt: String
    /// The names of the channel's parents, outermost first (a thread's category, then its channel); when empty, the
    /// JSON's `category` is the only parent known.
    var ancestors: [String] = []

    /// DCE's `Channel.GetHierarchicalName()` for text and HTML headers: every parent, then the channel, joined by
    /// ` / ` (`Text Channels / general / a thread`).
    var hierarchicalName: String {
        let parents = ancestors.isEmpty ? [channel["category"]?.string].compactMap { $0 } : ancestors
        return (parents + [channel["name"]?.string ?? ""]).joined(separator: " / ")
    }
}

/// Produces one document's bytes in three steps; partitions call it once per file.
protocol DocumentFormat {
    mutating func preamble(_ header: DocumentHeader) -> [UInt8]
    mutating func message(_ message: JSONValue, index: Int) -> [UInt8]
    /// Renders a streamed message and appends its bytes to `out`.
    /// - Returns: its DCE `timestamp` text.
    mutating func append(_ message: StreamedMessage, index: Int, renderer: DCERenderer, to out: inout [UInt8])
        async throws -> String?
    mutating func postamble(messageCount: Int) -> [UInt8]
}

extension DocumentFormat {
    /// The message's DCE object rendered, then formatted by ``message(_:index:)``.
    mutating func append(_ message: StreamedMessage, index: Int, renderer: DCERenderer, to out: inout [UInt8])
        async throws -> String?
    {
        let node = try await renderer.node(for: message)
        out += self.message(node, index: index)
        return node["timestamp"]?.string
    }
}

/// DCE JSON (§1–§2): the document is streamed around the `messages` array.
struct JSONDocumentFormat: DocumentFormat {
    let newline: [UInt8]
    /// Writes each message's bytes straight from its stored JSON (no DCE tree in between); reused per message.
    private var writer: DCEPrettyWriter

    init(newline: String) {
        self.newline = Array(newline.utf8)
        self.writer = DCEPrettyWriter(newline: self.newline, baseDepth: 2)
    }

    mutating func preamble(_ header: DocumentHeader) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        func key(_ name: String, _ value: JSONValue) {
            out += newline
            DCEJSONEncoding.appendIndent(1, to: &out)
            DCEJSONEncoding.appendString(name, to: &out)
            out += [UInt8(ascii: ":"), 0x20]
            DCEJSONEncoding.appendPretty(value, depth: 1, newline: newline, to: &out)
            out.append(UInt8(ascii: ","))
        }
        key("guild", header.guild)
        key("channel", header.channel)
        key("dateRange", .object([.init("after", .string(header.after)), .init("before", .string(header.before))]))
        key("exportedAt", .string(header.exportedAt))
        out += newline
        out += Array("  \"messages\": [".utf8)
        return out
    }

    mutating func message(_ message: JSONValue, index: Int) -> [UInt8] {
        var out: [UInt8] = index > 0 ? [UInt8(ascii: ",")] : []
        out += newline
        DCEJSONEncoding.appendIndent(2, to: &out)
        DCEJSONEncoding.appendPretty(message, depth: 2, newline: newline, to: &out)
        return out
    }

    mutating func append(_ message: StreamedMessage, index: Int, renderer: DCERenderer, to out: inout [UInt8])
        async throws -> String?
    {
        writer.reset()
        if index > 0 { writer.out.append(UInt8(ascii: ",")) }
        writer.out += newline
        DCEJSONEncoding.appendIndent(2, to: &writer.out)
        let timestamp = try await renderer.write(message, to: &writer)
        out += writer.out
        return timestamp
    }

    mutating func postamble(messageCount: Int) -> [UInt8] {
        var out: [UInt8] = []
        if messageCount > 0 {
            out += newline
            DCEJSONEncoding.appendIndent(1, to: &out)
        }
        out += Array("],".utf8) + newline + Array("  \"messageCount\": \(messageCount)".utf8) + newline
        out.append(UInt8(ascii: "}"))
        return out
    }
}

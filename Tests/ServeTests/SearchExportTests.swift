import ArchiveStore
import DiscordModels
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Serve

/// Every match of a search as DCE JSON over HTTP, on SQLite and PostgreSQL: one document per channel (a ZIP of
/// DCE's files, or one channel's document), the exporter's bytes, walked oldest first in bounded batches.
@Suite struct SearchExportTests {
    enum Backend: String, Sendable, CustomStringConvertible {
        case sqlite, postgres
        var description: String { rawValue }
    }

    /// SQLite always; PostgreSQL when the tests' server is configured (always under CI).
    static var backends: [Backend] { ServePostgres.isWanted ? [.sqlite, .postgres] : [.sqlite] }

    func withServer(
        _ backend: Backend, _ body: @escaping @Sendable (any TestClientProtocol, any ArchiveStore) async throws -> Void
    ) async throws {
        func run(_ store: any ArchiveStore) async throws {
            let server = ArchiveServer(store: store, configuration: ServeConfiguration())
            try await Application(router: server.makeRouter()).test(.router) { client in try await body(client, store) }
        }
        switch backend {
        case .sqlite: try await TemporaryArchive.with { path in try await run(ServeFixture.makeArchive(at: path)) }
        case .postgres: try await ServePostgres.withArchive { store in try await run(store) }
        }
    }

    static func get(_ client: any TestClientProtocol, _ uri: String) async throws
        -> (HTTPResponse.Status, [UInt8], HTTPFields)
    {
        try await client.execute(uri: uri, method: .get) { response in
            (response.status, Array(response.body.readableBytesView), response.headers)
        }
    }

    static func encoded(_ query: String) -> String {
        query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
    }

    static func id(_ index: Int) -> String { ServeFixture.messageID(index).description }

    /// A document without its `exportedAt` line (the moment it was made).
    static func withoutExportTime(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n").filter { !$0.contains("\"exportedAt\"") }
            .joined(separator: "\n")
    }

    static func document(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    static func messageIDs(_ document: [String: Any]) -> [String] {
        (document["messages"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    @Test(arguments: backends) func aFilterMatchingAWholeChannelIsItsExport(_ backend: Backend) async throws {
        try await withServer(backend) { client, _ in
            let channel = ServeFixture.channel
            let (status, body, headers) = try await Self.get(
                client, "/skald/api/search/export.json?q=\(Self.encoded("in:general"))&channel=\(channel)&utc=true")
            #expect(status == .ok)
            #expect(headers[.contentDisposition]?.contains("The Hall - general [\(channel)].json") == true)
            let (_, whole, _) = try await Self.get(client, "/skald/api/channels/\(channel)/export.json?utc=true")
            #expect(Self.withoutExportTime(body) == Self.withoutExportTime(whole))
            #expect(String(decoding: body, as: UTF8.self).contains("\"messageCount\": 249"))
        }
    }

    @Test(arguments: backends) func aWordSearchIsOneDCEFilePerChannel(_ backend: Backend) async throws {
        try await withServer(backend) { client, _ in
            let (status, zip, headers) = try await Self.get(
                client, "/skald/api/search/export.zip?q=zebrafinch42&utc=true")
            #expect(status == .ok)
            #expect(headers[.contentType] == "application/zip")
            let entries = try ZipReading.entries(of: zip)
            #expect(
                entries.map(\.name) == [
                    "The Hall - general [\(ServeFixture.channel)].json",
                    "The Hall - general - a thread [\(ServeFixture.thread)].json",
                ])
            let general = try Self.document(entries[0].data)
            #expect(Self.messageIDs(general) == [Self.id(10), Self.id(11)])
            #expect(general["messageCount"] as? Int == 2)
            let range = try #require(general["dateRange"] as? [String: Any])
            #expect(range["after"] is NSNull && range["before"] is NSNull)
            let thread = try Self.document(entries[1].data)
            #expect(Self.messageIDs(thread) == [Self.id(251)])
            #expect((thread["channel"] as? [String: Any])?["category"] as? String == "general")
            // Each message is the exporter's object for it, as in the channel's whole export.
            let (_, whole, _) = try await Self.get(
                client, "/skald/api/channels/\(ServeFixture.channel)/export.json?utc=true")
            let all = try #require(try Self.document(whole)["messages"] as? [[String: Any]])
            let exported = all.filter { [Self.id(10), Self.id(11)].contains($0["id"] as? String) }
            #expect(
                NSArray(array: exported).isEqual(to: try #require(general["messages"] as? [[String: Any]])))
            // The single channel's document is the ZIP's entry.
            let (_, single, _) = try await Self.get(
                client, "/skald/api/search/export.json?q=zebrafinch42&channel=\(ServeFixture.thread)&utc=true")
            #expect(Self.withoutExportTime(single) == Self.withoutExportTime(entries[1].data))
        }
    }

    @Test(arguments: backends) func datesAreTheRangeAndDeletedMessagesAreAskedFor(_ backend: Backend) async throws {
        try await withServer(backend) { client, _ in
            let query = Self.encoded("zebrafinch42 before:2030-01-01 in:general")
            let (_, dated, _) = try await Self.get(
                client, "/skald/api/search/export.json?q=\(query)&channel=\(ServeFixture.channel)&utc=true")
            let range = try #require(try Self.document(dated)["dateRange"] as? [String: Any])
            #expect(range["after"] is NSNull)
            #expect((range["before"] as? String)?.hasPrefix("2030-01-01T00:00:00") == true)
            // The deleted message is left out, as DCE never sees it, unless the query asks for it.
            let (_, hidden, _) = try await Self.get(client, "/skald/api/search/export.zip?q=ghostword")
            #expect(try ZipReading.entries(of: hidden).isEmpty)
            let (_, shown, _) = try await Self.get(
                client, "/skald/api/search/export.zip?q=\(Self.encoded("ghostword deleted:true"))")
            let entries = try ZipReading.entries(of: shown)
            #expect(entries.count == 1)
            #expect(try Self.messageIDs(Self.document(try #require(entries.first).data)) == [Self.id(14)])
        }
    }

    @Test(arguments: backends) func theWalkYieldsEveryMatchOldestFirstInBoundedBatches(_ backend: Backend)
        async throws
    {
        try await withServer(backend) { _, store in
            var search = MessageSearch(words: ["hall"])
            search.deleted = false
            var walk = try #require(
                try await SearchMatchWalk(
                    history: MergedHistory(store: store), search: search, channel: ServeFixture.channel, batchSize: 7))
            var ids: [String] = []
            var batches = 0
            while let batch = try await walk.next() {
                #expect(!batch.isEmpty && batch.count <= 7)
                ids += batch.map(\.shown.id.description)
                batches += 1
            }
            let expected = (0..<250).filter { ServeFixture.content($0).hasSuffix("of the hall") }.map(Self.id)
            #expect(ids == expected)
            #expect(batches >= expected.count / 7)
            // No match in the thread: no walk; a channel outside the search's `in:`: none either.
            #expect(
                try await SearchMatchWalk(
                    history: MergedHistory(store: store), search: search, channel: ServeFixture.thread) == nil)
            search.channels = [ServeFixture.thread]
            #expect(
                try await SearchMatchWalk(
                    history: MergedHistory(store: store), search: search, channel: ServeFixture.channel) == nil)
        }
    }

    @Test func badRequestsAreExplained() async throws {
        try await withServer(.sqlite) { client, _ in
            let (noQuery, _, _) = try await Self.get(client, "/skald/api/search/export.zip")
            #expect(noQuery == .badRequest)
            let (noChannel, body, _) = try await Self.get(client, "/skald/api/search/export.json?q=zebrafinch42")
            #expect(noChannel == .badRequest && String(decoding: body, as: UTF8.self).contains("export.zip"))
            let (unknown, error, _) = try await Self.get(client, "/skald/api/search/export.json?q=x&channel=1")
            #expect(unknown == .notFound && String(decoding: error, as: UTF8.self).contains("10003"))
            let (badOperator, _, _) = try await Self.get(client, "/skald/api/search/export.zip?q=has%3Anothing")
            #expect(badOperator == .badRequest)
            // A parameter an export cannot read is refused, not ignored (an ignored bound exported everything).
            let channel = ServeFixture.channel
            for uri in [
                "/skald/api/channels/\(channel)/export.json?after=abc",
                "/skald/api/channels/\(channel)/export.json?before=yesterday",
                "/skald/api/channels/\(channel)/export.json?utc=yes",
                "/skald/api/channels/\(channel)/export.json?deleted=1",
                "/skald/api/search/export.zip?q=zebrafinch42&deleted=yes",
                "/skald/api/search/export.json?q=zebrafinch42&channel=\(channel)&utc=maybe",
            ] {
                let (status, body, _) = try await Self.get(client, uri)
                #expect(status == .badRequest, "\(uri)")
                #expect(String(decoding: body, as: UTF8.self).contains("\"error\""), "\(uri)")
            }
        }
    }

    @Test func theSearchPageLinksTheExport() async throws {
        try await withServer(.sqlite) { client, _ in
            let (_, page, _) = try await Self.get(client, "/search?q=zebrafinch42")
            #expect(
                String(decoding: page, as: UTF8.self).contains(
                    "href=\"/skald/api/search/export.zip?q=zebrafinch42\""))
        }
    }

    @Test func windowsHalveWhenFullAndWidenWhenSparse() {
        var windows = AscendingWindows(low: 100, high: 1_100)
        #expect(windows.window! == (100, 1_100))
        let full = windows.found(11, limit: 10)  // more than a batch: halved, asked again
        #expect(!full && windows.window! == (100, 600))
        let complete = windows.found(10, limit: 10)
        #expect(complete && windows.window! == (600, 1_100))
        let sparse = windows.found(1, limit: 10)  // sparse: the next window is twice as wide (up to the end)
        #expect(sparse && windows.window == nil)
        var single = AscendingWindows(low: 5, high: 6)
        let one = single.found(2, limit: 1)  // one id cannot be halved
        #expect(one && single.window == nil)
        #expect(AscendingWindows(low: 0, high: .max).window! == (0, .max))
    }

    @Test func zipOfManyEntriesIsReadable() throws {
        var zip = ZipStream(date: Date(timeIntervalSince1970: 1_700_000_000))
        var bytes: [UInt8] = []
        for index in 0..<3 {
            bytes += zip.begin("ü-\(index).json")
            bytes += zip.add(Array(repeating: UInt8(index), count: 70_000 * index))
            bytes += zip.end()
        }
        bytes += zip.finish()
        let entries = try ZipReading.entries(of: bytes)
        #expect(entries.map(\.name) == ["ü-0.json", "ü-1.json", "ü-2.json"])
        #expect(entries.map(\.data.count) == [0, 70_000, 140_000])
    }
}

/// Reads a ZIP of stored entries through its central directory, checking every CRC-32 (bitwise, independent of
/// the server's table).
enum ZipReading {
    struct Entry {
        var name: String
        var data: [UInt8]
    }

    struct Malformed: Error {}

    static func entries(of bytes: [UInt8]) throws -> [Entry] {
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        let end = bytes.count - 22
        guard end >= 0, u32(end) == 0x0605_4B50 else { throw Malformed() }
        var at = u32(end + 16)
        var entries: [Entry] = []
        for _ in 0..<u16(end + 10) {
            guard u32(at) == 0x0201_4B50, u16(at + 10) == 0 else { throw Malformed() }
            let crc = UInt32(u32(at + 16))
            let size = u32(at + 24)
            let nameLength = u16(at + 28)
            let local = u32(at + 42)
            let name = String(decoding: bytes[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            guard u32(local) == 0x0403_4B50 else { throw Malformed() }
            let start = local + 30 + u16(local + 26) + u16(local + 28)
            let data = Array(bytes[start..<(start + size)])
            guard checksum(data) == crc, u32(start + size) == 0x0807_4B50 else { throw Malformed() }
            entries.append(Entry(name: name, data: data))
            at += 46 + nameLength + u16(at + 30) + u16(at + 32)
        }
        return entries
    }

    static func checksum(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (crc & 1 == 1 ? 0xEDB8_8320 : 0) }
        }
        return ~crc
    }
}

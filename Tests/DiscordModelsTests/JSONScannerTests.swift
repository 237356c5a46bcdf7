import DiscordModels
import Foundation
import Testing

@Suite struct JSONScannerTests {
    @Test func splitsArrayElementsByteForByte() throws {
        let text = #" [ {"a":"x,]\"}"} , 12 ,"s\\",[1,[2]] , null,-3.5e2 ] "#
        let elements = try JSONScanner.elements(of: Data(text.utf8)).map { String(decoding: $0, as: UTF8.self) }
        #expect(elements == [#"{"a":"x,]\"}"}"#, "12", #""s\\""#, "[1,[2]]", "null", "-3.5e2"])
        #expect(try JSONScanner.elements(of: Data("[]".utf8)).isEmpty)
        #expect(try JSONScanner.elements(of: Data(" [ ] ".utf8)).isEmpty)
    }

    @Test(arguments: [#"[{"a":1}"#, "[1,]", "[1 2]", "{}", #"["abc]"#, "[1] x", "", "[,1]"])
    func rejectsMalformedArrays(_ text: String) {
        #expect(throws: JSONScanner.Malformed.self) { try JSONScanner.elements(of: Data(text.utf8)) }
    }

    @Test func extractsTopLevelMembersByteForByte() throws {
        let text =
            #"{ "threads" : [{"id":"1","name":"a \"quoted\" }]"}, {"id":"2"}] ,"has_more":true,"x":{"threads":[]}}"#
        let values = try JSONScanner.members(["threads", "has_more", "missing"], in: Data(text.utf8))
        #expect(
            String(decoding: values["threads"]!, as: UTF8.self) == #"[{"id":"1","name":"a \"quoted\" }]"}, {"id":"2"}]"#
        )
        #expect(String(decoding: values["has_more"]!, as: UTF8.self) == "true")
        #expect(values["missing"] == nil)
        #expect(values.count == 2)
        #expect(throws: JSONScanner.Malformed.self) { try JSONScanner.members(["a"], in: Data("[1,2]".utf8)) }
        #expect(throws: JSONScanner.Malformed.self) { try JSONScanner.members(["a"], in: Data(#"{"a":[1,2"#.utf8)) }
    }

    /// Strings are scanned eight bytes at a time: a quote or backslash at any position against those eight-byte
    /// steps, in strings of every length up to three steps, ends or escapes where the byte-by-byte rule says.
    @Test func scansStringsAtEveryAlignment() throws {
        for length in 0..<24 {
            for special in [nil] + (0..<length).map(Optional.some) {
                for lead in 0..<8 {
                    var contents = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }
                    if let special { contents[special] = UInt8(ascii: "\\") }
                    if let special, special + 1 < length { contents[special + 1] = UInt8(ascii: "\"") }
                    let bytes =
                        Array(repeating: UInt8(ascii: " "), count: lead) + [UInt8(ascii: "\"")] + contents
                        + [UInt8(ascii: "\""), UInt8(ascii: ",")]
                    let escapedLast = special == length - 1
                    try bytes.withUnsafeBytes { buffer in
                        var scanner = JSONScanner(buffer)
                        if escapedLast {
                            // The backslash escapes the closing quote: the string never ends.
                            #expect(throws: JSONScanner.Malformed.self) { try scanner.scanString() }
                            return
                        }
                        let token = try scanner.scanString()
                        #expect(token.contents == lead + 1..<lead + 1 + length)
                        #expect(token.isEscaped == (special != nil))
                        #expect(scanner.index == lead + length + 2)
                    }
                }
            }
        }
        let unterminated = Array(#""abcdefghijklmnopqrstuvwxyz"#.utf8)
        try unterminated.withUnsafeBytes { buffer in
            var scanner = JSONScanner(buffer)
            do {
                _ = try scanner.scanString()
                Issue.record("an unterminated string was scanned")
            } catch let error as JSONScanner.Malformed {
                #expect(error.isTruncated)
                #expect(error.offset == 0)
            }
        }
    }

    /// The strict scanner skips eight plain bytes at a time: every byte it must look at (a quote, a backslash, a
    /// control character, DEL, a UTF-8 byte) is found at every offset and alignment, with the same answer as the
    /// byte-by-byte definition (printable ASCII without escapes is plain; a control character is refused).
    @Test(arguments: [0x22, 0x5C, 0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xFF] as [UInt8])
    func scansStrictStringsAtEveryAlignment(special: UInt8) throws {
        for length in 1..<20 {
            for position in 0..<length {
                for lead in 0..<8 {
                    var contents = (0..<length).map { UInt8(ascii: " ") + UInt8($0 % 94) }
                    for index in contents.indices where contents[index] == 0x22 || contents[index] == 0x5C {
                        contents[index] = UInt8(ascii: "x")
                    }
                    contents[position] = special
                    // Text before it (the scanner then skips UTF-8 bytes, but still stops at what it must refuse).
                    let nonASCIIFirst = lead % 2 == 1 && position >= 2
                    if nonASCIIFirst { contents.replaceSubrange(0..<2, with: [0xC3, 0xA9]) }
                    if special == 0x5C {
                        // A valid escape: backslash, then `n` (or the escape would run past the contents).
                        if position + 1 < length { contents[position + 1] = UInt8(ascii: "n") } else { continue }
                    }
                    if special == 0xC3 {
                        // A two-byte UTF-8 sequence (é) so the bytes are text.
                        if position + 1 < length { contents[position + 1] = 0xA9 } else { continue }
                    }
                    let bytes =
                        Array(repeating: UInt8(ascii: " "), count: lead) + [UInt8(ascii: "\"")] + contents
                        + [UInt8(ascii: "\""), UInt8(ascii: ",")]
                    try bytes.withUnsafeBytes { buffer in
                        var scanner = JSONScanner(buffer)
                        switch special {
                        case 0x00, 0x1F:
                            #expect(throws: JSONScanner.Malformed.self) { try scanner.scanStrictString() }
                        case 0x22:
                            // The quote ends the string early.
                            let string = try scanner.scanStrictString()
                            #expect(string.token.contents == lead + 1..<lead + 1 + position)
                            #expect(string.isPlainASCII == !nonASCIIFirst)
                        default:
                            let string = try scanner.scanStrictString()
                            #expect(string.token.contents == lead + 1..<lead + 1 + length)
                            #expect(!string.isPlainASCII)
                            #expect(string.token.isEscaped == (special == 0x5C))
                            #expect(scanner.index == lead + length + 2)
                        }
                    }
                }
            }
        }
        let plain = Array(#""abcdefghijklmnopqrstuvwxyz0123456789 ~!""#.utf8)
        try plain.withUnsafeBytes { buffer in
            var scanner = JSONScanner(buffer)
            let string = try scanner.scanStrictString()
            #expect(string.isPlainASCII)
            #expect(scanner.index == plain.count)
        }
    }

    /// Whitespace is skipped eight spaces at a time after a blank byte: runs of every length, with tabs, carriage
    /// returns and newlines at every place and alignment, end exactly at the next token.
    @Test func skipsWhitespaceRunsAtEveryAlignment() throws {
        let blanks: [UInt8] = [0x20, 0x0A, 0x0D, 0x09]
        for length in 0..<26 {
            for other in [nil] + (0..<length).map(Optional.some) {
                for kind in blanks.dropFirst() {
                    for lead in 0..<8 {
                        var run = [UInt8](repeating: 0x20, count: length)
                        if let other { run[other] = kind }
                        let bytes = [UInt8](repeating: UInt8(ascii: "x"), count: lead) + run + [UInt8(ascii: "7")]
                        bytes.withUnsafeBytes { buffer in
                            var scanner = JSONScanner(buffer, at: lead)
                            #expect(scanner.peek() == UInt8(ascii: "7"))
                            #expect(scanner.index == lead + length)
                        }
                    }
                }
            }
        }
        let blank = [UInt8](repeating: 0x20, count: 19)
        blank.withUnsafeBytes { buffer in
            var scanner = JSONScanner(buffer)
            #expect(scanner.peek() == nil)
            #expect(scanner.index == 19)
        }
    }

    @Test func skipsNestedValuesAtEveryAlignment() throws {
        // Strings holding brackets, quotes and backslashes at every offset inside nested containers: the skip must
        // end exactly after the outer value.
        for length in 0..<20 {
            for lead in 0..<8 {
                let filler = String(repeating: "x", count: length)
                let value =
                    #"{"a":["\#(filler)]}\"\\",{"b":"\#(filler)\"[{"},-1.5e3,true,null],"c":{"d":[[]],"e":"\#(filler)"}}"#
                let text = String(repeating: " ", count: lead) + value + " ,"
                try Array(text.utf8).withUnsafeBytes { buffer in
                    var scanner = JSONScanner(buffer)
                    let range = try scanner.skipValue()
                    #expect(range == lead..<lead + value.utf8.count)
                    #expect(scanner.index == range.upperBound)
                }
            }
        }
        for scalar in ["12", "-3.5e2", "true", "null", #""s""#] {
            try Array((scalar + "}").utf8).withUnsafeBytes { buffer in
                var scanner = JSONScanner(buffer)
                let range = try scanner.skipValue()
                #expect(range == 0..<scalar.utf8.count)
            }
        }
        for truncated in [#"{"a":[1,2"#, #"["abc"#, #"{"a":"b\"}"#] {
            try Array(truncated.utf8).withUnsafeBytes { buffer in
                var scanner = JSONScanner(buffer)
                do {
                    _ = try scanner.skipValue()
                    Issue.record("a truncated value was skipped: \(truncated)")
                } catch let error as JSONScanner.Malformed {
                    #expect(error.isTruncated)
                }
            }
        }
    }

    /// After any member of an object (or element of an array), the rest of it is skipped to just past its closing
    /// bracket, nested values and brackets inside strings included.
    @Test func skipsTheRestOfAContainer() throws {
        let text = #"{"id":"1","a":{"b":[1,{"c":"]}"}]},"s":"x\"}{","n":null} ,7"#
        let data = Data(text.utf8)
        let end = try #require(text.utf8.firstIndex(of: UInt8(ascii: " "))).utf16Offset(in: text)
        try data.withUnsafeBytes { buffer in
            var scanner = JSONScanner(buffer)
            try scanner.expect(UInt8(ascii: "{"))
            var members = 0
            // Stop after each member in turn: the scanner always lands just after the object.
            while true {
                var probe = scanner
                try probe.skipRestOfContainer()
                #expect(probe.index == end)
                members += 1
                _ = try scanner.scanString()
                try scanner.expect(UInt8(ascii: ":"))
                _ = try scanner.skipValue()
                if scanner.consume(UInt8(ascii: "}")) { break }
                try scanner.expect(UInt8(ascii: ","))
            }
            #expect(members == 4)
        }
        try Data(#"{"a":1"#.utf8).withUnsafeBytes { buffer in
            var scanner = JSONScanner(buffer, at: 1)
            #expect(throws: JSONScanner.Malformed.self) { try scanner.skipRestOfContainer() }
        }
    }

    @Test func findsOneMember() {
        let json = Data(
            #" { "a" : {"b":"}\"," , "c":[1,{"d":2}]} , "author":{"id":"1"} , "e":null, "\u0066":7 } "#.utf8)
        #expect(JSONScanner.member("a", in: json) == Data(#"{"b":"}\"," , "c":[1,{"d":2}]}"#.utf8))
        #expect(JSONScanner.member("author", in: json) == Data(#"{"id":"1"}"#.utf8))
        #expect(JSONScanner.member("e", in: json) == Data("null".utf8))
        #expect(JSONScanner.member("f", in: json) == Data("7".utf8))
        #expect(JSONScanner.member("b", in: json) == nil)
        #expect(JSONScanner.member("a", in: Data("[1]".utf8)) == nil)
    }

    @Test func unescapesStrings() throws {
        let text = #"["plain", "tab\t nl\n q\" bs\\ sl\/", "\u00e9\u4e2d", "\ud83d\ude00!", "\ud800x", "é"]"#
        let data = Data(text.utf8)
        let strings = try data.withUnsafeBytes { buffer in
            var scanner = JSONScanner(buffer)
            let reader = JSONScanner(buffer)
            var out: [String?] = []
            try scanner.forEachElement { out.append(try reader.string(in: $0)) }
            return out
        }
        #expect(strings == ["plain", "tab\t nl\n q\" bs\\ sl/", "é中", "😀!", "\u{FFFD}x", "é"])
        #expect(
            strings
                == (try JSONDecoder().decode(
                    [String].self, from: Data(text.replacingOccurrences(of: #"\ud800x"#, with: #"\ufffdx"#).utf8))))
    }

    @Test func readsIntegersExactly() throws {
        let text =
            #"[9007199254740993, -9223372036854775808, 9223372036854775808, "1234567890123456789", 1.5, 1e3, "x", "#
            + #""9999999999999999999", "18446744073709551615", 18446744073709551616, "00000000000000000012", "12a"]"#
        let data = Data(text.utf8)
        let (signed, unsigned) = try data.withUnsafeBytes { buffer in
            var scanner = JSONScanner(buffer)
            let reader = JSONScanner(buffer)
            var signed: [Int64?] = []
            var unsigned: [UInt64?] = []
            try scanner.forEachElement {
                signed.append(reader.integer($0))
                unsigned.append(reader.unsignedInteger($0))
            }
            return (signed, unsigned)
        }
        #expect(signed == [9_007_199_254_740_993, Int64.min, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil])
        // Nineteen digits and fewer are read without overflow checks; twenty are checked (`UInt64.max` has twenty).
        #expect(
            unsigned == [
                9_007_199_254_740_993, nil, 9_223_372_036_854_775_808, 1_234_567_890_123_456_789, nil, nil, nil,
                9_999_999_999_999_999_999, UInt64.max, nil, 12, nil,
            ])
    }

    @Test func buildsExactValues() throws {
        let text = #"{"nonce": 1234567890123456789, "z": [true, false, null, 2.5, "s"], "a": {}}"#
        let value = try JSONScanner.value(of: Data(text.utf8))
        #expect(value["nonce"] == .integer(1_234_567_890_123_456_789))
        #expect(value["z"] == .array([.bool(true), .bool(false), .null, .number("2.5"), .string("s")]))
        guard case .object(let pairs) = value else {
            Issue.record("not an object")
            return
        }
        #expect(pairs.map(\.key) == ["nonce", "z", "a"])
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(decoded["nonce"] == .integer(1_234_567_890_123_456_789))
        let encoded = try JSONEncoder().encode(JSONValue.integer(1_234_567_890_123_456_789))
        #expect(String(decoding: encoded, as: UTF8.self) == "1234567890123456789")
        #expect(throws: JSONScanner.Malformed.self) { try JSONScanner.value(of: Data("{\"a\":tru}".utf8)) }
    }
}

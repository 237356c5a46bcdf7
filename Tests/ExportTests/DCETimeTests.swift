import Export
import Foundation
import Testing

/// DCE's timestamp text, written byte by byte, against the same text made the plain way (Foundation's formatter in
/// the fixed zone of the offset, and the seven-digit fraction without its trailing zeros).
@Suite struct DCETimeTests {
    static func reference(_ time: DCETime, offset: Int) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = TimeZone(secondsFromGMT: offset)
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        var text = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(time.seconds)))
        if time.ticks > 0 {
            var fraction = String(time.ticks)
            fraction = String(repeating: "0", count: 7 - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        let magnitude = abs(offset)
        return text + (offset < 0 ? "-" : "+") + String(format: "%02d:%02d", magnitude / 3600, magnitude / 60 % 60)
    }

    @Test(arguments: [0, 19_800, -34_200, 50_400, -43_200])
    func formatsLikeThePlainWay(offset: Int) {
        let instants: [Int64] = [0, 1, 59, 86_399, 86_400, 951_782_400, 1_700_000_000, 4_102_444_799, 253_402_214_400]
        for seconds in instants {
            for ticks: Int64 in [0, 5, 1_230_000, 9_999_999, 1_000_000] {
                let time = DCETime(seconds: seconds, ticks: ticks)
                #expect(time.formatted(offset: offset) == Self.reference(time, offset: offset), "\(seconds) \(ticks)")
            }
        }
    }
}

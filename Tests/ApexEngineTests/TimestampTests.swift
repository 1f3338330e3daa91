import Foundation
import Testing

@testable import ApexEngine

@Suite struct TimestampTests {
    @Test func parsesTheFormTheEngineWrites() {
        #expect(Timestamp(rfc3339: "1970-01-01T00:00:00.000Z")?.milliseconds == 0)
        #expect(Timestamp(rfc3339: "2026-11-27T14:00:00.123Z")?.milliseconds == 1_795_788_000_123)
        #expect(Timestamp(rfc3339: "2000-02-29T23:59:59.999Z")?.milliseconds == 951_868_799_999)
        #expect(Timestamp(rfc3339: "1969-12-31T23:59:59.999Z")?.milliseconds == -1)
    }

    @Test(arguments: [Int64(0), -1, 1, 951_868_799_999, 1_795_000_000_123, 4_102_444_800_000, 253_402_300_799_999, -62_135_596_800_000])
    func roundTripsItsDescription(milliseconds: Int64) {
        let timestamp = Timestamp(milliseconds: milliseconds)
        #expect(Timestamp.engineMilliseconds(timestamp.description) == milliseconds)
        #expect(Timestamp(rfc3339: timestamp.description) == timestamp)
    }

    @Test func agreesWithTheFormatterOnManyMoments() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            // Whole seconds, so that the formatter's floating-point milliseconds are exact.
            let seconds = Int64.random(in: 0...4_102_444_800, using: &generator)
            let text = Timestamp(milliseconds: seconds * 1000).description
            #expect(Timestamp.engineMilliseconds(text) == Int64(formatter.date(from: text)!.timeIntervalSince1970) * 1000, "\(text)")
        }
    }

    @Test func otherFormsGoToTheFormatter() {
        #expect(Timestamp.engineMilliseconds("2026-11-27T14:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "2026-11-27T14:00:00Z")?.milliseconds == 1_795_788_000_000)
        #expect(Timestamp.engineMilliseconds("2026-11-27T15:00:00.000+01:00") == nil)
        #expect(Timestamp(rfc3339: "2026-11-27T15:00:00.000+01:00")?.milliseconds == 1_795_788_000_000)
    }

    @Test(arguments: ["2026-13-01T00:00:00.000Z", "2026-02-29T00:00:00.000Z", "2026-04-31T00:00:00.000Z", "2026-11-27T24:00:00.000Z",
                      "2026-11-27T14:60:00.000Z", "2026-11-27T14:00:60.000Z", "2026-11-27 14:00:00.000Z", "2026-11-27T14:00:00.00aZ",
                      "2026-11-27T14:00:00.000", "not a time", ""])
    func refusesWhatIsNotExactlyThatForm(text: String) {
        #expect(Timestamp.engineMilliseconds(text) == nil)
    }
}

@Suite struct TimestampDescriptionTests {
    @Test(arguments: [Int64(0), -1, 999, 86_399_999, 86_400_000, 951_868_799_999, 951_868_800_000, 1_795_788_000_123,
                      4_102_444_800_000, 253_402_300_799_999, -62_135_596_800_000, -86_400_001])
    func matchesTheLibCFormatting(milliseconds: Int64) {
        let timestamp = Timestamp(milliseconds: milliseconds)
        #expect(timestamp.description == timestamp.formattedByLibC)
    }

    @Test func matchesTheLibCFormattingOnManyMoments() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let timestamp = Timestamp(milliseconds: Int64.random(in: -62_135_596_800_000...253_402_300_799_999, using: &generator))
            #expect(timestamp.description == timestamp.formattedByLibC)
        }
    }

    @Test func writesTheDocumentedForm() {
        #expect(Timestamp(milliseconds: 1_795_788_000_123).description == "2026-11-27T14:00:00.123Z")
        #expect(Timestamp(milliseconds: -1).description == "1969-12-31T23:59:59.999Z")
    }
}

import Testing

@testable import ApexDSL

@Suite struct DurationTests {
    @Test(arguments: [
        ("500ms", 500), ("90s", 90_000), ("15m", 900_000), ("1h30m", 5_400_000), ("2d", 172_800_000),
        ("1d2h3m4s5ms", 93_784_005), ("1.5s", 1500), ("PT1H", 3_600_000), ("P2D", 172_800_000),
        ("P1DT2H30M", 95_400_000), ("PT0.5S", 500), ("P1W", 604_800_000),
    ] as [(String, Int64)])
    func parsesDurations(_ text: String, _ milliseconds: Int64) throws {
        #expect(try Duration.parse(text).milliseconds == milliseconds)
    }

    @Test(arguments: ["", "5", "5 minutes", "1m1h", "1h1h", "h", "P", "PT", "P1M", "P1Y", "1.2.3s", "abc"])
    func refusesMalformed(_ text: String) {
        #expect(throws: Duration.ParseError.malformed) { try Duration.parse(text) }
    }

    @Test(arguments: ["0s", "0ms", "PT0S", "-5s"])
    func refusesZeroAndNegative(_ text: String) {
        #expect(throws: Duration.ParseError.notPositive) { try Duration.parse(text) }
    }

    @Test func rendersCanonically() throws {
        #expect(try Duration.parse("PT90M").description == "1h30m")
        #expect(try Duration.parse("1500ms").description == "1s500ms")
    }
}

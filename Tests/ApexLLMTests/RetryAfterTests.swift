import ApexDSL
import Foundation
import NIOHTTP1
@testable import ApexLLM
import Testing

@Suite struct RetryAfterTests {
    let now = Date(timeIntervalSince1970: 784_111_777) // Sun, 06 Nov 1994 08:49:37 GMT

    private func delay(_ value: String) -> Duration? {
        RetryAfter.delay(in: ["retry-after": value], now: now)
    }

    @Test func readsWholeAndFractionalSeconds() {
        #expect(delay("120") == .seconds(120))
        #expect(delay(" 1.5 ") == Duration(milliseconds: 1500))
    }

    @Test func readsHTTPDatesInEveryForm() {
        #expect(delay("Sun, 06 Nov 1994 08:50:07 GMT") == .seconds(30))
        #expect(delay("Sunday, 06-Nov-94 08:50:07 GMT") == .seconds(30))
        #expect(delay("Sun Nov  6 08:50:07 1994") == .seconds(30))
    }

    @Test(arguments: ["-5", "soon", "", "0", "Sat, 05 Nov 1994 08:49:37 GMT"])
    func ignoresValuesThatAskForNoDelay(value: String) {
        #expect(delay(value) == nil)
    }

    @Test func capsAbsurdValuesAtAYear() {
        #expect(delay("99999999999999") == .seconds(365 * 86_400))
    }
}

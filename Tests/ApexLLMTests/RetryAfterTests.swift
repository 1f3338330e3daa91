import ApexDSL
import Foundation
@testable import ApexLLM
import Testing

@Suite struct RetryAfterTests {
    let now = Date(timeIntervalSince1970: 784_111_777) // Sun, 06 Nov 1994 08:49:37 GMT

    @Test func readsSeconds() {
        #expect(RetryAfter.parse("120", now: now) == .seconds(120))
        #expect(RetryAfter.parse(" 0 ", now: now) == .seconds(0))
    }

    @Test func readsHTTPDatesInEveryForm() {
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:50:07 GMT", now: now) == .seconds(30))
        #expect(RetryAfter.parse("Sunday, 06-Nov-94 08:50:07 GMT", now: now) == .seconds(30))
        #expect(RetryAfter.parse("Sun Nov  6 08:50:07 1994", now: now) == .seconds(30))
    }

    @Test func aPastDateIsZeroAndAFarOneIsCapped() {
        #expect(RetryAfter.parse("Sat, 05 Nov 1994 08:49:37 GMT", now: now) == .seconds(0))
        #expect(RetryAfter.parse("99999999999999", now: now) == RetryAfter.maximum)
    }

    @Test(arguments: ["-5", "soon", "", "1.5"])
    func ignoresValuesThatAreNeitherForm(value: String) {
        #expect(RetryAfter.parse(value, now: now) == nil)
    }
}

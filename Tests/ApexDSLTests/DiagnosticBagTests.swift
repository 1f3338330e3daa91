import Testing

@testable import ApexDSL

@Suite struct DiagnosticBagTests {
    @Test func buildsMessagesOnlyForTheDiagnosticsItKeeps() {
        var bag = DiagnosticBag(file: "t.yaml")
        var built = 0
        func message(_ index: Int) -> String {
            built += 1
            return "problem \(index)"
        }
        for index in 0..<10_000 {
            bag.error(.unknownStep, message(index), at: .fileStart)
        }
        #expect(built == DiagnosticBag.limit)
        #expect(bag.diagnostics.count == DiagnosticBag.limit)
        #expect(bag.truncatedCount == 10_000 - DiagnosticBag.limit)
        #expect(bag.diagnostics.last?.message == "problem \(DiagnosticBag.limit - 1)")
    }
}

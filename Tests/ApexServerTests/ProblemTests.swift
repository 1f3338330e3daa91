import ApexDSL
@testable import ApexServer
import Testing

@Suite struct ProblemTests {
    @Test func aProblemHasAStableTypeItsStatusAndItsExtensionsInOrder() throws {
        let problem = Problem(.unprocessableContent, "invalid-input", "Invalid input", detail: "the input does not match",
                              extensions: ["errors": ["a", "b"]])
        #expect(problem.json.compactJSON == #"{"type":"https://apex.dev/problems/invalid-input","title":"Invalid input","status":422,"detail":"the input does not match","errors":["a","b"]}"#)
    }
}

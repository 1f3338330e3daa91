import Foundation
import Testing

/// Hostile and broken input given to the built binary: each ends in a clear diagnostic and
/// exit status 1 or 2, never a crash, a hang or a stack overflow.
@Suite(.enabled(if: ApexBinary.url != nil, "the apex executable has not been built"), .timeLimit(.minutes(2)))
struct BadInputTests {
    private let folder: TemporaryFolder

    init() throws {
        folder = try TemporaryFolder()
    }

    private func validate(_ name: String, _ contents: Data) async throws -> CommandResult {
        let path = URL(fileURLWithPath: folder.path).appendingPathComponent(name)
        try contents.write(to: path)
        return try await ApexBinary.run(["validate", name], in: folder.path)
    }

    private func validate(_ name: String, _ text: String) async throws -> CommandResult {
        try await validate(name, Data(text.utf8))
    }

    @Test func tenMegabyteFileIsRefused() async throws {
        let line = "# " + String(repeating: "x", count: 97) + "\n"
        let result = try await validate("huge.yaml", String(repeating: line, count: 100_000))
        #expect(result.status == 1)
        #expect(result.output.contains("may be at most 4194304 bytes (4 MiB) [file-too-large]"))
    }

    @Test func nestingTenThousandDeepIsRefused() async throws {
        let flow = "apex: 1\nname: deep\nsteps: " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "\n"
        let flowResult = try await validate("deep-flow.yaml", flow)
        #expect(flowResult.status == 1)
        #expect(flowResult.output.contains("[yaml-too-deep]"))

        var block = "apex: 1\nname: deep\nsteps:\n"
        // Block nesting costs its depth in indentation: 2,500 levels stay under the size limit.
        for depth in 0..<2_500 { block += String(repeating: " ", count: depth) + "- \n" }
        let blockResult = try await validate("deep-block.yaml", block)
        #expect(blockResult.status == 1)
        #expect(blockResult.output.contains("[yaml-too-deep]"))
    }

    @Test func expressionNestedTenThousandDeepIsAnError() async throws {
        let expression = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        let result = try await validate("deep-expression.yaml", "apex: 1\nname: deep\nsteps:\n  - id: a\n    set: {x: '${{ \(expression) }}'}\n")
        #expect(result.status == 1)
        #expect(result.output.contains("[expression-syntax]"))
    }

    @Test func hundredThousandStepsAreRefused() async throws {
        var text = "apex: 1\nname: many\nsteps:\n"
        for index in 0..<100_000 { text += "  - {id: s\(index), sleep: 1s}\n" }
        let result = try await validate("many.yaml", text)
        #expect(result.status == 1)
        #expect(result.output.contains("the workflow has 100000 steps; at most 10000 are allowed"))
    }

    @Test func aliasBombIsRefused() async throws {
        var text = "apex: 1\nname: bomb\nx-a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1..<12 { text += "x-a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n" }
        text += "steps:\n  - {id: a, sleep: 1s}\n"
        let result = try await validate("bomb.yaml", text)
        #expect(result.status == 1)
        #expect(result.output.contains("[yaml-alias]"))
    }

    @Test func malformedYAMLBinaryInvalidUTF8AndEmptyFilesExitOne() async throws {
        let cases: [(String, Data, String)] = [
            ("malformed.yaml", Data("apex: 1\nname: [unclosed\n".utf8), "[yaml-syntax]"),
            ("binary.yaml", Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x00, 0x01]), "[file-encoding]"),
            ("latin1.yaml", Data("name: caf".utf8) + Data([0xE9, 0x0A]), "[file-encoding]"),
            ("empty.yaml", Data(), "[empty-file]"),
            ("nul-only.yaml", Data(repeating: 0, count: 64), "[file-encoding]"),
        ]
        for (name, data, rule) in cases {
            let result = try await validate(name, data)
            #expect(result.status == 1, "\(name)")
            #expect(result.output.contains(rule), "\(name): \(result.output)")
        }
    }
}

import ApexDSL
import Foundation
import Testing

@testable import ApexCLI

/// `apex lsp` driven with real LSP messages on its standard input: diagnostics with UTF-16
/// ranges on open and on change, completions, shutdown and exit.
@Suite struct LSPCommandTests {
    /// Line 10 has an emoji (two UTF-16 code units, one scalar) before the misspelt target.
    static let workflow = """
        apex: 1
        name: lsp
        llm: {provider: mock}
        steps:
          - id: classify
            llm:
              prompt: "Sort 🎫 tickets"
              schema: {type: object, properties: {category: {type: string}, urgency: {type: integer}}}
          - id: route
            switch:
              - {when: "${{ steps.classify.output.data.category == '🐛' }}", next: drafts}
          - id: draft
            set: {done: true}
        """

    static func frame(_ message: JSONValue) -> String { LSPFraming.frame(message) }

    static func messages(in output: String) -> [JSONValue] {
        var framing = LSPFraming()
        framing.append(Data(output.utf8))
        var messages: [JSONValue] = []
        while let body = framing.next() { messages.append(try! JSONValue(parsing: String(decoding: body, as: UTF8.self))) }
        return messages
    }

    @Test func publishesDiagnosticsAndCompletesLikeAnEditorExpects() async throws {
        let uri = "file:///tmp/apex-lsp-test/flow.yaml"
        let line = String(Self.workflow.split(separator: "\n")[10])
        func character(after text: String) -> Int {
            line.utf16.distance(from: line.utf16.startIndex, to: line.range(of: text)!.upperBound.samePosition(in: line.utf16)!)
        }
        let changed = Self.workflow.replacingOccurrences(of: "next: drafts}", with: "next: draft}")
        let input = [
            Self.frame(["jsonrpc": "2.0", "id": 1, "method": "initialize", "params": ["capabilities": [:]]]),
            Self.frame(["jsonrpc": "2.0", "method": "initialized", "params": [:]]),
            Self.frame(["jsonrpc": "2.0", "method": "textDocument/didOpen",
                        "params": ["textDocument": ["uri": .string(uri), "languageId": "yaml", "version": 1, "text": .string(Self.workflow)]]]),
            // Inside `${{ steps.` on line 10 (from 0), after the dot.
            Self.frame(["jsonrpc": "2.0", "id": 2, "method": "textDocument/completion",
                        "params": ["textDocument": ["uri": .string(uri)], "position": ["line": 10, "character": .int(character(after: "steps."))]]]),
            // After `steps.classify.output.data.`.
            Self.frame(["jsonrpc": "2.0", "id": 3, "method": "textDocument/completion",
                        "params": ["textDocument": ["uri": .string(uri)], "position": ["line": 10, "character": .int(character(after: "data."))]]]),
            Self.frame(["jsonrpc": "2.0", "method": "textDocument/didChange",
                        "params": ["textDocument": ["uri": .string(uri), "version": 2], "contentChanges": [["text": .string(changed)]]]]),
            Self.frame(["jsonrpc": "2.0", "id": 4, "method": "workspace/symbol", "params": ["query": ""]]),
            Self.frame(["jsonrpc": "2.0", "id": 5, "method": "shutdown"]),
            Self.frame(["jsonrpc": "2.0", "method": "exit"]),
        ].joined()
        let result = try await CommandResult.apex("lsp", standardInput: input)
        #expect(result.status == 0, "\(result.error)")
        let messages = Self.messages(in: result.output)
        #expect(messages.count == 7, "\(messages)")

        #expect(messages[0]["id"] == 1)
        #expect(messages[0]["result"]?["capabilities"]?["textDocumentSync"]?["change"] == 1)

        // `next: drafts` on line 10: the diagnostic's range counts UTF-16 code units.
        let opened = messages[1]
        #expect(opened["method"] == "textDocument/publishDiagnostics")
        let diagnostic = opened["params"]?["diagnostics"]?.arrayValue?.first { $0["code"] == "unknown-step" }
        #expect(diagnostic?["range"]?["start"] == ["line": 10, "character": .int(character(after: "next: ") )])
        #expect(diagnostic?["range"]?["end"] == ["line": 10, "character": .int(character(after: "next: drafts"))])
        #expect(diagnostic?["severity"] == 1)
        #expect(diagnostic?["message"]?.stringValue?.contains("did you mean \"draft\"") == true)

        let steps = messages[2]["result"]?["items"]?.arrayValue?.compactMap { $0["label"]?.stringValue }
        #expect(steps == ["classify", "route", "draft"])
        let fields = messages[3]["result"]?["items"]?.arrayValue?.compactMap { $0["label"]?.stringValue }
        #expect(fields == ["category", "urgency"])

        // Fixed: the unknown step is gone.
        let fixed = messages[4]["params"]?["diagnostics"]?.arrayValue ?? []
        #expect(!fixed.contains { $0["code"] == "unknown-step" }, "\(fixed)")
        #expect(messages[5]["error"]?["code"] == -32601)
        #expect(messages[6]["id"] == 5)
    }

    @Test func rangesAfterAnEmojiCountTwoCodeUnits() {
        let lines = ["a: \"🎫x\""].map { Substring($0) }
        // `x` is scalar column 6 (1-based): UTF-16 character 6 (0-based) after the emoji's two units.
        #expect(LSPPosition.utf16(line: 1, column: 6, in: lines) == ["line": 0, "character": 6])
        #expect(LSPPosition.prefix(ofLine: 0, character: 6, in: "a: \"🎫x\"") == "a: \"🎫")
    }

    @Test func anInputThatEndsWithoutExitIsStatusOne() async throws {
        let result = try await CommandResult.apex("lsp", standardInput: Self.frame(["jsonrpc": "2.0", "id": 1, "method": "shutdown"]))
        #expect(result.status == 1)
    }
}

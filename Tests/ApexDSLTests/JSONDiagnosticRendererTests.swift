import Testing

@testable import ApexDSL

@Suite struct JSONDiagnosticRendererTests {
    private let reports = [
        DiagnosticReport(
            path: "workflows/triage.yaml", source: nil,
            diagnostics: [
                Sample.make(.error, .unknownStep, "unknown step \"drafts\"", from: (14, 11), to: (14, 17)),
                Sample.make(.warning, .unreachableStep, "step \"orphan\" is never reached", from: (20, 9), to: (20, 15)),
            ]),
        DiagnosticReport(path: "workflows/ok.yml", source: nil, diagnostics: [], truncatedCount: 0),
        DiagnosticReport(
            path: "big.yaml", source: nil,
            diagnostics: [Sample.make(.note, .unknownKey, "n", from: (1, 1), to: (1, 1), file: "big.yaml")],
            truncatedCount: 7),
    ]

    @Test func rendersTheDocumentedShapeWithStableKeyOrder() {
        #expect(DiagnosticRenderer.json(reports).prettyJSON == """
            {
              "files": [
                {
                  "path": "workflows/triage.yaml",
                  "diagnostics": [
                    {
                      "severity": "error",
                      "rule": "unknown-step",
                      "message": "unknown step \\"drafts\\"",
                      "line": 14,
                      "column": 11,
                      "end_line": 14,
                      "end_column": 17
                    },
                    {
                      "severity": "warning",
                      "rule": "unreachable-step",
                      "message": "step \\"orphan\\" is never reached",
                      "line": 20,
                      "column": 9,
                      "end_line": 20,
                      "end_column": 15
                    }
                  ],
                  "truncated": 0
                },
                {
                  "path": "workflows/ok.yml",
                  "diagnostics": [],
                  "truncated": 0
                },
                {
                  "path": "big.yaml",
                  "diagnostics": [
                    {
                      "severity": "note",
                      "rule": "unknown-key",
                      "message": "n",
                      "line": 1,
                      "column": 1,
                      "end_line": 1,
                      "end_column": 1
                    }
                  ],
                  "truncated": 7
                }
              ],
              "errors": 1,
              "warnings": 1
            }
            """)
    }

    @Test func readsBackAsTheSameValue() throws {
        let document = DiagnosticRenderer.json(reports)
        #expect(try JSONValue(parsing: document.compactJSON) == document)
    }

    @Test func rendersNoFilesAsAnEmptyList() {
        #expect(DiagnosticRenderer.json([]).compactJSON == #"{"files":[],"errors":0,"warnings":0}"#)
    }

    @Test func escapesControlCharactersInMessages() {
        let report = DiagnosticReport(
            path: "a.yaml", source: nil, diagnostics: [Sample.make(.error, .yamlSyntax, "tab\there\nnl", from: (1, 1), to: (1, 2))])
        #expect(DiagnosticRenderer.json([report]).compactJSON.contains(#""message":"tab\there\nnl""#))
    }
}

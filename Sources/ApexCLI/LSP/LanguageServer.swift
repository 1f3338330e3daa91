import ApexDSL
import Foundation

/// `apex lsp`'s server: keeps the open documents, publishes the validator's diagnostics on open
/// and on every change (full text sync), and completes expressions and step targets. One
/// message at a time, in the order received, so that a completion sees every change before it.
struct LanguageServer {
    private var documents: [String: String] = [:]
    private var shutdownRequested = false
    private let send: (JSONValue) -> Void

    init(send: @escaping (JSONValue) -> Void) {
        self.send = send
    }

    /// Handles one message; returns the exit status once `exit` arrives (0 after `shutdown`).
    mutating func handle(_ message: JSONValue) -> Int32? {
        let id = message["id"]
        let method = message["method"]?.stringValue ?? ""
        let params = message["params"] ?? .null
        switch method {
        case "initialize":
            reply(id, [
                "capabilities": [
                    "textDocumentSync": ["openClose": true, "change": 1],
                    "completionProvider": ["triggerCharacters": [".", " "]],
                ],
                "serverInfo": ["name": "apex", "version": .string(ApexCommand.version)],
            ])
        case "textDocument/didOpen", "textDocument/didChange":
            guard let uri = params["textDocument"]?["uri"]?.stringValue else { return nil }
            let text = params["textDocument"]?["text"]?.stringValue ?? params["contentChanges"]?.arrayValue?.last?["text"]?.stringValue
            guard let text else { return nil }
            documents[uri] = text
            publishDiagnostics(uri: uri, text: text)
        case "textDocument/didClose":
            guard let uri = params["textDocument"]?["uri"]?.stringValue else { return nil }
            documents[uri] = nil
            send(notification("textDocument/publishDiagnostics", ["uri": .string(uri), "diagnostics": []]))
        case "textDocument/completion":
            reply(id, ["isIncomplete": false, "items": .array(completions(params))])
        case "shutdown":
            shutdownRequested = true
            reply(id, .null)
        case "exit":
            return shutdownRequested ? 0 : 1
        default:
            // Requests the server does not know get an error; notifications are ignored.
            if let id, !id.isNull {
                send(["jsonrpc": "2.0", "id": id, "error": ["code": -32601, "message": .string("apex lsp does not handle \(method)")]])
            }
        }
        return nil
    }

    private func publishDiagnostics(uri: String, text: String) {
        let path = Self.path(of: uri)
        guard case .checked(let report) = FileOutcome.check(Data(text.utf8), path: path) else { return }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let diagnostics: [JSONValue] = report.diagnostics.map { diagnostic in
            return [
                "range": [
                    "start": LSPPosition.utf16(line: diagnostic.range.start.line, column: diagnostic.range.start.column, in: lines),
                    "end": LSPPosition.utf16(line: diagnostic.range.end.line, column: diagnostic.range.end.column, in: lines),
                ],
                "severity": .int(diagnostic.severity == .error ? 1 : 2),
                "code": .string(diagnostic.rule.rawValue),
                "source": "apex",
                "message": .string(diagnostic.message),
            ]
        }
        send(notification("textDocument/publishDiagnostics", ["uri": .string(uri), "diagnostics": .array(diagnostics)]))
    }

    /// Inside `${{ … }}`: expression items; after `next:` (or a `switch` case's): step ids.
    private func completions(_ params: JSONValue) -> [JSONValue] {
        guard let uri = params["textDocument"]?["uri"]?.stringValue, let text = documents[uri],
              let line = params["position"]?["line"]?.numberValue, let character = params["position"]?["character"]?.numberValue else { return [] }
        let before = LSPPosition.prefix(ofLine: Int(line), character: Int(character), in: text)
        let workflow = WorkflowValidator.parse(data: Data(text.utf8), path: Self.path(of: uri)).workflow
        if let open = before.range(of: "${{", options: .backwards), !before[open.upperBound...].contains("}}") {
            guard let workflow else { return [] }
            return ExpressionCompletion.items(after: String(before[open.upperBound...]), in: workflow).map(Self.item)
        }
        if before.range(of: #"(^|\s|\{)next:\s*[a-z_0-9]*$"#, options: .regularExpression) != nil, let workflow {
            return ExpressionCompletion.items(after: "steps.", in: workflow).map(Self.item) + [Self.item(.init(label: "end", kind: .step, detail: "ends the list"))]
        }
        return []
    }

    private static func item(_ item: ExpressionCompletion.Item) -> JSONValue {
        // CompletionItemKind: Variable 6, Function 3, Field 5, Reference 18.
        let kind = switch item.kind {
        case .context: 6
        case .function: 3
        case .field: 5
        case .step: 18
        }
        return ["label": .string(item.label), "kind": .int(kind), "detail": .string(item.detail)]
    }

    private func reply(_ id: JSONValue?, _ result: JSONValue) {
        send(["jsonrpc": "2.0", "id": id ?? .null, "result": result])
    }

    private func notification(_ method: String, _ params: JSONValue) -> JSONValue {
        ["jsonrpc": "2.0", "method": .string(method), "params": params]
    }

    /// The file path of a `file://` URI (percent-decoded), so that child workflows resolve
    /// against its folder; other URIs are shown as they are.
    static func path(of uri: String) -> String {
        guard let url = URL(string: uri), url.isFileURL else { return uri }
        return url.path
    }
}

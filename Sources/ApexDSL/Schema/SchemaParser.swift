/// Reads schemas of the supported subset from the YAML tree, reporting every unsupported
/// keyword (`schema-keyword`) and every keyword with a value of the wrong kind
/// (`schema-invalid`), and carrying on past them so that one run reports them all.
struct SchemaParser {
    /// How deeply schemas may nest. YAML input is bounded by the composer already; this bounds
    /// schemas that arrive as JSON.
    static let maxDepth = 64

    var diagnostics: DiagnosticBag
    /// Whether messages start with the JSON pointer of the problem, for schemas that arrive as
    /// JSON and so have no source positions.
    let locatesByPointer: Bool
    private var pointer: [String] = []
    private var depth = 0

    init(diagnostics: DiagnosticBag, locatesByPointer: Bool = false) {
        self.diagnostics = diagnostics
        self.locatesByPointer = locatesByPointer
    }

    /// The schema in `node`: a mapping, or `true`/`false`. Anything else is reported and gives nil.
    mutating func schema(_ node: YAMLNode) -> JSONSchema? {
        if case .scalar(let scalar) = node.kind, case .bool(let value) = scalar.resolved {
            return value ? JSONSchema(range: node.range) : JSONSchema(types: [], range: node.range)
        }
        guard let pairs = node.pairs else {
            var message = "a schema must be a mapping (or true or false), not \(node.kindDescription)"
            if let text = node.scalar?.value, JSONType(rawValue: text) != nil {
                message += "; did you mean `{ type: \(text) }`?"
            } else if node.scalar?.resolved.isNull == true {
                message += "; write `{}` to allow any value"
            }
            error(.typeMismatch, message, at: node.range)
            return nil
        }
        guard depth < Self.maxDepth else {
            error(.schemaInvalid, "schemas nest deeper than \(Self.maxDepth) levels", at: node.range)
            return nil
        }
        depth += 1
        defer { depth -= 1 }
        var draft = SchemaDraft()
        for pair in pairs {
            guard let name = pair.name, let keyword = SchemaKeyword(rawValue: name) else {
                reportUnsupported(pair)
                continue
            }
            pointer.append(name)
            draft.nodes[keyword] = pair.value
            read(keyword, pair.value, into: &draft)
            pointer.removeLast()
        }
        let schema = draft.build(range: node.range)
        checkConsistency(of: schema, draft: draft)
        return schema
    }

    /// The schema in `node`, read as the subschema at `step` of the JSON pointer.
    mutating func schema(_ node: YAMLNode, at step: String) -> JSONSchema? {
        pointer.append(step)
        defer { pointer.removeLast() }
        return schema(node)
    }

    private mutating func reportUnsupported(_ pair: YAMLPair) {
        let name = pair.name ?? pair.key.jsonValue.compactJSON
        pointer.append(name)
        error(.schemaKeyword, Self.unsupportedMessage(name), at: pair.key.range)
        pointer.removeLast()
    }

    private static func unsupportedMessage(_ name: String) -> String {
        let message = "Apex supports a subset of JSON Schema (see docs); `\(name)` is not in it"
        if let advice = SchemaKeyword.advice(forUnsupported: name) {
            return message + ": " + advice
        }
        return message + Suggestion.didYouMean(name, in: SchemaKeyword.names)
    }

    /// Reports an error, prefixed with the JSON pointer when the schema has no positions. The
    /// message is built only when the diagnostic is kept.
    mutating func error(_ rule: RuleID, _ message: @autoclosure () -> String, at range: SourceRange) {
        guard locatesByPointer else {
            diagnostics.error(rule, message(), at: range)
            return
        }
        let pointer = pointer
        diagnostics.error(rule, "\(Self.location(of: pointer)): \(message())", at: range)
    }

    /// `at /properties/a~1b`: where a problem is, by JSON pointer.
    private static func location(of pointer: [String]) -> String {
        let escaped = pointer.map {
            $0.replacing("~", with: "~0").replacing("/", with: "~1")
        }
        return escaped.isEmpty ? "at the top level" : "at /" + escaped.joined(separator: "/")
    }
}

import CYaml

/// Builds a ``YAMLNode`` tree from libyaml's event stream.
///
/// We compose the events ourselves (rather than use Yams' `compose`) to keep what a compiler
/// needs: the end of every node for carets, duplicate keys reported at the duplicate with every
/// other problem still found, merge keys, typing by the YAML 1.2 core schema, and bounds on depth
/// and alias expansion that hold on hostile input. Composition is iterative: no recursion, so
/// no stack overflow on deeply nested input.
struct YAMLComposer {
    /// Deepest nesting of mappings and lists a workflow may have.
    static let maxDepth = 64
    /// Most nodes a document may expand to through aliases ("billion laughs").
    static let maxExpandedNodes = 2_000_000

    private let source: SourceFile
    /// What libyaml reads: the text with YAML 1.1's extra line breaks hidden.
    private let input: LibyamlInput
    private var diagnostics: DiagnosticBag

    private struct Anchored {
        var node: YAMLNode
        var weight: Int
    }

    /// A mapping or sequence whose end event has not come yet.
    private struct Frame {
        var isMapping: Bool
        var start: SourceLocation
        var anchor: String?
        var items: [YAMLNode] = []
        var weights = 1
    }

    private var anchors: [String: Anchored] = [:]
    private var expandedNodes = 0

    init(source: SourceFile, diagnostics: DiagnosticBag) {
        self.source = source
        self.input = LibyamlInput(source.text)
        self.diagnostics = diagnostics
    }

    /// Composes the first document; nil when there is none or the YAML is broken (then a
    /// diagnostic says why).
    static func compose(_ source: SourceFile, into diagnostics: inout DiagnosticBag) -> YAMLNode? {
        var composer = YAMLComposer(source: source, diagnostics: diagnostics)
        let bytes = composer.input.bytes
        let root = bytes.withUnsafeBufferPointer { composer.run($0) }
        diagnostics = composer.diagnostics
        return root
    }

    private mutating func run(_ buffer: UnsafeBufferPointer<UInt8>) -> YAMLNode? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)

        var stack: [Frame] = []
        var root: YAMLNode?
        var documents = 0
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                reportSyntaxError(parser)
                return nil
            }
            defer { yaml_event_delete(&event) }
            let start = location(event.start_mark)
            let end = location(event.end_mark)
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return root
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    diagnostics.error(.yamlSyntax, "a workflow file holds one YAML document; remove the second `---`", at: .at(start, length: 3))
                    return root
                }
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                let text = input.restore(string(scalar.value, length: scalar.length))
                let style = Self.style(scalar.style)
                var resolved: JSONValue = style == .plain ? YAMLCoreSchema.resolve(plain: text) : .string(text)
                if let tag = optionalString(scalar.tag) {
                    resolved = applyTag(tag, text: text, resolved: resolved, at: SourceRange(start: start, end: end))
                }
                let node = YAMLNode(.scalar(YAMLScalar(value: text, style: style, resolved: resolved)), range: SourceRange(start: start, end: end))
                add(node, weight: 1, anchor: optionalString(scalar.anchor), to: &stack, root: &root)
            case YAML_ALIAS_EVENT:
                let name = optionalString(event.data.alias.anchor) ?? ""
                guard let anchored = anchors[name] else {
                    diagnostics.error(.yamlAlias, "unknown alias \"*\(name)\"; an anchor must be defined (with &\(name)) before it is used", at: SourceRange(start: start, end: end))
                    add(YAMLNode(.scalar(YAMLScalar(value: "", style: .plain, resolved: .null)), range: SourceRange(start: start, end: end)), weight: 1, anchor: nil, to: &stack, root: &root)
                    continue
                }
                expandedNodes += anchored.weight
                guard expandedNodes <= Self.maxExpandedNodes else {
                    diagnostics.error(.yamlAlias, "aliases expand this document to more than \(Self.maxExpandedNodes) values", at: SourceRange(start: start, end: end))
                    return nil
                }
                add(anchored.node, weight: anchored.weight, anchor: nil, to: &stack, root: &root)
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                let isMapping = event.type == YAML_MAPPING_START_EVENT
                let anchorPointer = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
                let tagPointer = isMapping ? event.data.mapping_start.tag : event.data.sequence_start.tag
                if let tag = optionalString(tagPointer), tag != (isMapping ? "tag:yaml.org,2002:map" : "tag:yaml.org,2002:seq") {
                    diagnostics.error(.yamlTag, "unsupported YAML tag \"\(tag)\"", at: .at(start, length: 1))
                }
                guard stack.count < Self.maxDepth else {
                    diagnostics.error(.yamlTooDeep, "the document nests deeper than \(Self.maxDepth) levels", at: .at(start, length: 1))
                    return nil
                }
                stack.append(Frame(isMapping: isMapping, start: start, anchor: optionalString(anchorPointer)))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                let frame = stack.removeLast()
                let range = SourceRange(start: frame.start, end: end)
                let node: YAMLNode
                if frame.isMapping {
                    var pairs: [YAMLPair] = []
                    pairs.reserveCapacity(frame.items.count / 2)
                    var index = 0
                    while index + 1 < frame.items.count {
                        pairs.append(YAMLPair(key: frame.items[index], value: frame.items[index + 1]))
                        index += 2
                    }
                    node = YAMLNode(.mapping(mergeAndCheckKeys(pairs)), range: range)
                } else {
                    node = YAMLNode(.sequence(frame.items), range: range)
                }
                add(node, weight: frame.weights, anchor: frame.anchor, to: &stack, root: &root)
            default:
                break
            }
        }
    }

    private mutating func add(_ node: YAMLNode, weight: Int, anchor: String?, to stack: inout [Frame], root: inout YAMLNode?) {
        if let anchor { anchors[anchor] = Anchored(node: node, weight: weight) }
        if stack.isEmpty {
            root = node
        } else {
            stack[stack.count - 1].items.append(node)
            stack[stack.count - 1].weights += weight
        }
    }

    /// Applies `<<` merge keys (explicit keys win over merged ones, earlier merged mappings over
    /// later ones) and reports duplicate keys at the duplicate, keeping the first.
    private mutating func mergeAndCheckKeys(_ pairs: [YAMLPair]) -> [YAMLPair] {
        var result: [YAMLPair] = []
        var merged: [YAMLPair] = []
        var firstSeen: [String: SourceRange] = [:]
        for pair in pairs {
            if let key = pair.key.scalar, key.value == "<<", key.style == .plain {
                merged += mergeSources(pair.value)
                continue
            }
            if let name = pair.name {
                if let first = firstSeen[name] {
                    diagnostics.error(.yamlDuplicateKey, "duplicate key \"\(name)\"; it is already defined at line \(first.start.line)", at: pair.key.range)
                    continue
                }
                firstSeen[name] = pair.key.range
            }
            result.append(pair)
        }
        for pair in merged {
            guard let name = pair.name, firstSeen[name] == nil else { continue }
            firstSeen[name] = pair.key.range
            result.append(pair)
        }
        return result
    }

    private mutating func mergeSources(_ value: YAMLNode) -> [YAMLPair] {
        switch value.kind {
        case .mapping(let pairs):
            return pairs
        case .sequence(let items):
            var all: [YAMLPair] = []
            for item in items {
                guard let pairs = item.pairs else {
                    diagnostics.error(.typeMismatch, "a merge key `<<` takes a mapping or a list of mappings", at: item.range)
                    continue
                }
                all += pairs
            }
            return all
        case .scalar:
            diagnostics.error(.typeMismatch, "a merge key `<<` takes a mapping or a list of mappings", at: value.range)
            return []
        }
    }

    private mutating func applyTag(_ tag: String, text: String, resolved: JSONValue, at range: SourceRange) -> JSONValue {
        switch tag {
        case "tag:yaml.org,2002:str", "!": return .string(text)
        case "tag:yaml.org,2002:null": return .null
        case "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float":
            let typed = YAMLCoreSchema.resolve(plain: text)
            switch (tag, typed) {
            case ("tag:yaml.org,2002:bool", .bool), ("tag:yaml.org,2002:int", .int), ("tag:yaml.org,2002:float", .double):
                return typed
            case ("tag:yaml.org,2002:float", .int(let i)):
                return .double(Double(i))
            default:
                diagnostics.error(.yamlTag, "\"\(text)\" is not a valid \(tag.split(separator: ":").last ?? "")", at: range)
                return resolved
            }
        default:
            diagnostics.error(.yamlTag, "unsupported YAML tag \"\(tag)\"", at: range)
            return resolved
        }
    }

    private mutating func reportSyntaxError(_ parser: yaml_parser_t) {
        let problem = optionalString(parser.problem) ?? "invalid YAML"
        let mark = parser.problem_mark
        if problem.hasPrefix("Maximum nesting level") {
            diagnostics.error(.yamlTooDeep, "the document nests deeper than \(Self.maxDepth) levels", at: .at(location(mark), length: 1))
            return
        }
        let at = location(mark)
        var message = problem
        if let context = optionalString(parser.context) {
            message = "\(context) (line \(parser.context_mark.line + 1)): \(problem)"
        }
        let contextLine = Int(parser.context_mark.line) + 1
        if [at.line, contextLine].contains(where: { Self.looksLikeUnquotedColonOrHash(source.line($0) ?? "") }) {
            message += "; a value that contains \": \" or \" #\" (as a ${{ }} expression may) must be quoted, e.g. \"…\""
        }
        // Past the end of its line (an unclosed quote, say) the problem is a point.
        let lineLength = source.line(at.line)?.unicodeScalars.count ?? 0
        diagnostics.error(.yamlSyntax, message, at: .at(at, length: at.column <= lineLength ? 1 : 0))
    }

    /// True when a line holds a value with a second `: ` or a `#` inside `${{ }}`: the usual
    /// cause of a YAML error in a workflow.
    static func looksLikeUnquotedColonOrHash(_ line: Substring) -> Bool {
        guard let firstColon = line.range(of: ": ") else { return false }
        let value = line[firstColon.upperBound...].drop { $0 == " " }
        // Quoted scalars and flow collections (`{a: 1}`) hold ": " legitimately.
        guard let first = value.first, !"\"'{[".contains(first) else { return false }
        return value.contains(": ") || (value.contains("${{") && value.contains("#"))
    }

    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        let line = Int(mark.line) + 1
        // libyaml ends a text without a final line break on a line of its own, past the last
        // line: that is the end of the last line.
        guard line > source.lines.count, let last = source.lines.last else {
            return SourceLocation(line: line, column: Int(mark.column) + 1)
        }
        return SourceLocation(line: source.lines.count, column: last.unicodeScalars.count + 1)
    }

    private func string(_ pointer: UnsafeMutablePointer<UInt8>?, length: Int) -> String {
        guard let pointer else { return "" }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    private func optionalString(_ pointer: UnsafeMutablePointer<UInt8>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    private func optionalString(_ pointer: UnsafePointer<CChar>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLScalar.Style {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }
}

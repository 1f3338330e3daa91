import Foundation
import OrderedCollections

/// What an editor may offer while an expression is typed (`apex lsp`): the contexts and
/// functions at the start of a name, step ids after `steps.`, a step's record fields, and the
/// fields of values of known shape (`steps.<id>.output.<field>` from an llm `schema`, an
/// `input` schema's properties, `vars`), from the same shapes `apex validate` checks.
public enum ExpressionCompletion {
    public struct Item: Sendable, Hashable {
        public enum Kind: Sendable, Hashable { case context, step, field, function }
        public var label: String
        public var kind: Kind
        /// What the item is (`llm step`, `a string`, `function`).
        public var detail: String

        public init(label: String, kind: Kind, detail: String) {
            self.label = label
            self.kind = kind
            self.detail = detail
        }
    }

    /// The contexts every expression may read (`args` only in an agent tool's fields).
    static let contexts = ["input", "vars", "steps", "run", "secrets", "args"]

    /// The items for an expression whose text before the cursor is `prefix`, in `workflow`.
    public static func items(after prefix: String, in workflow: Workflow) -> [Item] {
        let path = trailingPath(prefix)
        guard path.count > 1 else {
            return contexts.map { Item(label: $0, kind: .context, detail: "context") }
                + FunctionLibrary.names.map { Item(label: $0, kind: .function, detail: "function") }
        }
        let index = StepIndex(workflow: workflow)
        let parents = Array(path.dropLast())
        switch parents[0] {
        case "steps" where parents.count == 1:
            return index.entries.map(\.step).filter { !$0.id.value.isEmpty }.map { step in
                Item(label: step.id.value, kind: .step, detail: "\(step.action.key) step")
            }
        case "steps":
            guard let entry = index.byID[parents[1]] else { return [] }
            // The fixed output shapes only: `set`, `parallel`, `foreach` and child outputs need
            // the whole type environment of validation, which a keystroke does not wait for.
            let output = ValueShape.fixedOutput(of: index.entries[entry].step) ?? .unknown
            return fields(of: ValueShape.result(output: output), following: parents.dropFirst(2))
        case "input":
            return fields(of: workflow.input.map(ValueShape.schema) ?? .unknown, following: parents.dropFirst())
        case "run":
            return fields(of: ValueShape.run, following: parents.dropFirst())
        case "vars" where parents.count == 1:
            var names: OrderedSet<String> = []
            for assignment in workflow.vars { names.append(assignment.name.value) }
            for entry in index.entries { if case .set(let assignments) = entry.step.action { for a in assignments { names.append(a.name.value) } } }
            return names.map { Item(label: $0, kind: .field, detail: "variable") }
        default:
            return []
        }
    }

    /// The fields of the value `shape` describes after reading `path` from it.
    private static func fields(of shape: ValueShape, following path: some Collection<String>) -> [Item] {
        var shape = shape
        for name in path {
            switch shape {
            case .object(let fields, _): shape = fields[name] ?? .unknown
            case .schema(let schema): shape = schema.properties[name].map(ValueShape.schema) ?? .unknown
            default: return []
            }
        }
        switch shape {
        case .object(let fields, _):
            return fields.map { Item(label: $0.key, kind: .field, detail: describe($0.value)) }
        case .schema(let schema):
            return schema.properties.map { Item(label: $0.key, kind: .field, detail: $0.value.typeDescription) }
        default:
            return []
        }
    }

    private static func describe(_ shape: ValueShape) -> String {
        switch shape {
        case .null: "null"
        case .object: "an object"
        case .list: "a list"
        case .schema(let schema): schema.typeDescription
        case .values(let values): "one of " + values.map(\.compactJSON).joined(separator: ", ")
        case .unknown, .kinds, .union: "a value"
        }
    }

    /// The names of the access path that ends `prefix`: `steps.classify.output.` gives
    /// `[steps, classify, output, ""]`, `len` gives `[len]`; `[0]`, `[*]` and `.*` are skipped.
    static func trailingPath(_ prefix: String) -> [String] {
        let tail = String(prefix.reversed().prefix { $0.isLetter || $0.isNumber || "_.[]*".contains($0) }.reversed())
        let path = tail.replacingOccurrences(of: #"\[[^\]]*\]"#, with: "", options: .regularExpression).replacingOccurrences(of: ".*", with: "")
        return path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }
}

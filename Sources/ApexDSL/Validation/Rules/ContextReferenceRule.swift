/// `unknown-context` and `secrets-outside-call`: an expression starts from a context that
/// exists where it stands (`input`, `vars`, `steps`, `run`, `secrets`, in an agent tool's fields
/// `args`, and inside a foreach its element name and `index`), and `secrets` appear only in the
/// fields of calls (`http`, `llm` and `agent` steps, `http` tools, an `mcp` entry's `env`), so
/// that they are resolved at call time and never stored.
enum ContextReferenceRule: ValidationRule {
    static let contexts = ["input", "vars", "steps", "run", "secrets"]

    static func check(_ context: ValidationContext, into diagnostics: inout DiagnosticBag) {
        let allLoopNames = Set(context.index.entries.flatMap { entry -> [String] in
            if case .foreach(let foreach) = entry.step.action { return [foreach.element, "index"] }
            return []
        })
        for site in context.expressions {
            for path in site.expression.accessPaths {
                let range = site.fileRange(path.rootRange)
                if path.root == "secrets" {
                    if !site.allowsSecrets {
                        diagnostics.error(.secretsOutsideCall, "`secrets` can only be used in the fields of calls (`http`, `llm` and `agent` steps, `http` tools, `mcp` env), where they are resolved at call time and never stored; it is used in `\(site.field)` here", at: range)
                    }
                    continue
                }
                if contexts.contains(path.root) || site.loopNames.contains(path.root) { continue }
                if path.root == "args" {
                    if site.args == nil {
                        diagnostics.error(.unknownContext, "`args` (the arguments the model called a tool with) is only defined in the fields of an agent's `http` and `workflow` tools; it is used in `\(site.field)` here", at: range)
                    }
                    continue
                }
                if allLoopNames.contains(path.root) {
                    diagnostics.error(.unknownContext, "\"\(path.root)\" is only defined inside the steps of a `foreach`", at: range)
                    continue
                }
                let candidates = contexts + (site.args == nil ? [] : ["args"]) + site.loopNames
                diagnostics.error(.unknownContext, "unknown context \"\(path.root)\"\(Suggestion.didYouMean(path.root, in: candidates)) (expressions start from \(candidates.joined(separator: ", ")))", at: range)
            }
        }
    }
}

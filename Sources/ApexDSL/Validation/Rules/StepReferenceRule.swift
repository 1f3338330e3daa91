/// `unknown-step` in expressions, and `step-not-yet-run` (warning): `steps.<id>` names a step
/// that exists and that has certainly run wherever the expression is evaluated: it comes before
/// on every path (it dominates the reading step), not in a concurrent branch, not inside a
/// `foreach` body read from outside. Reads guarded by `??` are not warned about: the author
/// has given a default for when the step has not run.
enum StepReferenceRule: ValidationRule {
    static func check(_ context: ValidationContext, into diagnostics: inout DiagnosticBag) {
        // In document order: of equally close suggestions the first is made.
        let allIDs = context.index.entries.map(\.step.id.value)
        for site in context.expressions {
            let guarded = site.expression.coalescedRanges
            for path in site.expression.accessPaths where path.root == "steps" {
                guard case .name(let id)? = path.components.first?.kind, let component = path.components.first else { continue }
                let range = site.fileRange(component.nameRange)
                guard let target = context.index.byID[id] else {
                    diagnostics.error(.unknownStep, "unknown step \"\(id)\" in expression\(Suggestion.didYouMean(id, in: allIDs))", at: range)
                    continue
                }
                if guarded.contains(where: { $0.contains(component.range.lowerBound) }) { continue }
                if let why = StepOrder(context: context).whyNotRun(target, at: site.point) {
                    diagnostics.warning(.stepNotYetRun, "step \"\(id)\" may not have run when `\(site.field)` is evaluated: \(why); add a default with `??` if that is intended", at: range)
                }
            }
        }
    }
}

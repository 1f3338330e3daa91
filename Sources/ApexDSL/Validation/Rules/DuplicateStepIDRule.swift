/// `duplicate-step-id`: step ids are unique in the whole workflow, nested blocks included,
/// because `steps.<id>` must name one step.
enum DuplicateStepIDRule: ValidationRule {
    static func check(_ context: ValidationContext, into diagnostics: inout DiagnosticBag) {
        for entry in context.index.entries {
            let id = entry.step.id
            guard !id.value.isEmpty, let first = context.index.byID[id.value] else { continue }
            let firstStep = context.index.entries[first].step
            guard firstStep.id.range != id.range else { continue }
            diagnostics.error(.duplicateStepID, "duplicate step id \"\(id.value)\"; it is already used at line \(firstStep.id.range.start.line)", at: id.range)
        }
    }
}

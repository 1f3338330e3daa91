/// `condition-type` (warning): a `switch` case whose `when` is never a boolean. Truthiness
/// stays as documented (false, null, 0 and '' are false, anything else true), so this is not an
/// error; but a `when` that gives a string, a number or a list is usually a comparison that was
/// left out (`when: ${{ steps.classify.output.data.category }}` matches every category).
enum ConditionTypeRule: ValidationRule {
    static func check(_ context: ValidationContext, into diagnostics: inout DiagnosticBag) {
        for (entry, item) in context.index.entries.enumerated() {
            guard case .switch(let action) = item.step.action else { continue }
            for switchCase in action.cases {
                let shape = context.types.shape(of: switchCase.condition, at: .step(entry))
                let kinds = shape.kinds
                guard !kinds.isEmpty, !kinds.contains(.boolean) else { continue }
                diagnostics.warning(.conditionType, "`when` gives \(kinds.phrase), never a boolean; \(consequence(kinds))",
                                    at: switchCase.condition.valueRange)
            }
        }
    }

    private static func consequence(_ kinds: ValueKinds) -> String {
        if kinds == .null { return "it is always null, so this case never matches" }
        if kinds.isSubset(of: [.list, .object]) { return "\(kinds.phrase), even empty, is true, so this case always matches" }
        return "it matches whenever it is not null, 0 or '' (compare it with `==` if that is not what you mean)"
    }
}

extension TemplateValue {
    /// Where a value is reported: the expression of a string that is exactly one, else the
    /// whole value.
    var valueRange: SourceRange {
        if case .template(let template, let locator) = self, template.isSingleExpression, let expression = template.expressions.first {
            return locator.fileRange(expression.range)
        }
        return range
    }
}

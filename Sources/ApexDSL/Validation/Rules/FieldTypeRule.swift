/// `field-type`: a field that takes a value of one type given one that is never of it, which
/// fails the step when it starts: a `foreach`'s `in` that is never a list, its `concurrency`
/// never a number, a `sleep` never a number of seconds or a duration, a `sleep.until` never a
/// string (an RFC 3339 time).
enum FieldTypeRule: ValidationRule {
    static func check(_ context: ValidationContext, into diagnostics: inout DiagnosticBag) {
        for (entry, item) in context.index.entries.enumerated() {
            var fields: [(name: String, value: TemplateValue?, takes: ValueKinds, wanted: String)] = []
            switch item.step.action {
            case .foreach(let foreach):
                fields = [("foreach `in`", foreach.items, .list, "a list"),
                          ("foreach `concurrency`", foreach.concurrency, .number, "a number")]
            case .sleep(.seconds(let value)):
                fields = [("`sleep`", value, [.number, .string], "a number of seconds or a duration")]
            case .sleep(.until(let value)):
                fields = [("`sleep.until`", value, .string, "a string (an RFC 3339 time)")]
            default:
                continue
            }
            for field in fields {
                guard let value = field.value else { continue }
                let shape = context.types.shape(of: value, at: .step(entry))
                let kinds = shape.kinds
                guard !kinds.isEmpty, kinds.isDisjoint(with: field.takes) else { continue }
                let given = if case .null(let reason) = shape { "null (\(reason))" } else { kinds.phrase }
                diagnostics.error(.fieldType, "\(field.name) gives \(given), never \(field.wanted)", at: value.valueRange)
            }
        }
    }
}

import OrderedCollections

/// A YAML value whose strings may hold `${{ }}` expressions: what step fields, `vars`, `set`
/// and `output` are made of. Evaluating it gives a JSON value.
public indirect enum TemplateValue: Sendable {
    /// A value with no expression in it.
    case literal(JSONValue, SourceRange)
    /// A string with at least one expression.
    case template(Template, ExpressionLocator)
    case array([TemplateValue], SourceRange)
    case object([(key: String, value: TemplateValue)], SourceRange)

    public var range: SourceRange {
        switch self {
        case .literal(_, let range), .array(_, let range), .object(_, let range): range
        case .template(_, let locator): locator.range
        }
    }

    /// Every expression inside, with the locator that maps its offsets to the file.
    public var expressions: [(Expression, ExpressionLocator)] {
        switch self {
        case .literal: []
        case .template(let template, let locator): template.expressions.map { ($0, locator) }
        case .array(let items, _): items.flatMap(\.expressions)
        case .object(let members, _): members.flatMap(\.value.expressions)
        }
    }

    /// The value when it holds no expression.
    public var literalValue: JSONValue? {
        switch self {
        case .literal(let value, _): return value
        case .template: return nil
        case .array(let items, _):
            var values: [JSONValue] = []
            for item in items {
                guard let value = item.literalValue else { return nil }
                values.append(value)
            }
            return .array(values)
        case .object(let members, _):
            var object = OrderedDictionary<String, JSONValue>()
            for member in members {
                guard let value = member.value.literalValue else { return nil }
                object[member.key] = value
            }
            return .object(object)
        }
    }

    /// Evaluates every expression inside and builds the JSON value.
    public func evaluate(in context: EvaluationContext) throws(ExpressionError) -> JSONValue {
        switch self {
        case .literal(let value, _): return value
        case .template(let template, _): return try template.evaluate(in: context)
        case .array(let items, _):
            var values: [JSONValue] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try item.evaluate(in: context)) }
            return .array(values)
        case .object(let members, _):
            var object = OrderedDictionary<String, JSONValue>()
            for member in members { object[member.key] = try member.value.evaluate(in: context) }
            return .object(object)
        }
    }
}

/// One check over a parsed workflow. Each rule lives in its own file under `Rules/` and reports
/// with its own rule ids; `docs/rules.md` lists them all with examples.
protocol ValidationRule: Sendable {
    static func check(_ context: ValidationContext, into diagnostics: inout DiagnosticBag)
}

enum ValidationRules {
    /// Every rule run on a parsed workflow, in order. (Child workflows need file access and are
    /// checked separately by ``ChildWorkflowRule``.)
    static let all: [any ValidationRule.Type] = [
        DuplicateStepIDRule.self,
        StepTargetRule.self,
        UnreachableStepRule.self,
        MisplacedOptionRule.self,
        LLMConfigRule.self,
        AgentToolRule.self,
        FunctionCallRule.self,
        ContextReferenceRule.self,
        StepReferenceRule.self,
        PropertyShapeRule.self,
        OperatorTypeRule.self,
        ArgumentTypeRule.self,
        EnumComparisonRule.self,
        ConditionTypeRule.self,
        FieldTypeRule.self,
    ]
}

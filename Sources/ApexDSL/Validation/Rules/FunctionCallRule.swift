/// `unknown-function` and `function-arity`: every function called exists and gets a number of
/// arguments it accepts.
enum FunctionCallRule: ValidationRule {
    static func check(_ context: ValidationContext, into diagnostics: inout DiagnosticBag) {
        for site in context.expressions {
            for problem in ExpressionChecker.checkCalls(in: site.expression) {
                diagnostics.error(problem.rule, problem.message, at: site.fileRange(problem.range))
            }
        }
    }
}

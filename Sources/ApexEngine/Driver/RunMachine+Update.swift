extension RunMachine {
    /// The run's row after the events applied so far.
    func update(finishedAt: Timestamp) -> RunUpdate {
        RunUpdate(status: status, output: output, error: error, currentStep: currentStep,
                  finishedAt: status.isFinished ? finishedAt : nil, wakeAt: pendingTimers.first?.fireAt)
    }
}

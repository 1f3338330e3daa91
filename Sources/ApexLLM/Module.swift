// The ApexLLM module; its pieces are being built (issue 3).

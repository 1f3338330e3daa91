// The ApexStoreSQLite module; its pieces are being built (issue 3).

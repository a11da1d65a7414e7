import ImpactCLI
ImpactCommand.main()

from cmlkg.cli import main

main()

"""``python -m ssm_mw.cli``: the same as the ``ssm-mw`` console script."""

from . import main

if __name__ == "__main__":
    main()

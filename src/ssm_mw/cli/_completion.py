"""``ssm-mw completion SHELL``: the shell completion script, as click writes it.

click completes ``ssm-mw`` itself when the shell sets ``_SSM_MW_COMPLETE``
(``bash_complete``, ``zsh_complete``, ``fish_complete``); the script printed
here defines the shell function that does so, the same script that
``_SSM_MW_COMPLETE=bash_source ssm-mw`` prints. Completion reads the command
tree only: command names, option names, the values of the enum-like options
and arguments (``--output``, ``--task-type``, ``set-cutoff``'s BEHAVIOR, the keys
of ``--filter``) and file names. It imports neither the client nor botocore.
"""

from __future__ import annotations

import click

from ._app import SingleValueCommand

__all__ = ["COMPLETE_VAR", "PROG_NAME", "SHELLS", "completion"]

#: The name the scripts complete, and the variable through which the shell asks.
PROG_NAME = "ssm-mw"
COMPLETE_VAR = "_SSM_MW_COMPLETE"
#: The shells whose scripts click writes.
SHELLS = ("bash", "zsh", "fish")


@click.command("completion", cls=SingleValueCommand)
@click.argument("shell", type=click.Choice(SHELLS), metavar="SHELL")
@click.pass_context
def completion(ctx: click.Context, shell: str) -> None:
    """Print the completion script for SHELL (bash, zsh or fish).

    Completes commands, options, the values of --output, --task-type, --filter
    and set-cutoff's BEHAVIOR, and file names. Load it in the shell's startup
    file, or save it where the shell finds completions:

    \b
      bash: ssm-mw completion bash > ~/.local/share/bash-completion/completions/ssm-mw
      zsh:  ssm-mw completion zsh > ~/.zfunc/_ssm-mw   (with ~/.zfunc in $fpath)
      fish: ssm-mw completion fish > ~/.config/fish/completions/ssm-mw.fish
    """
    from click.shell_completion import get_completion_class

    script = get_completion_class(shell)
    if script is None:  # pragma: no cover - click knows every shell of SHELLS
        raise click.UsageError(f"no completion for {shell}", ctx)
    root = ctx.find_root().command
    click.echo(script(root, {}, PROG_NAME, COMPLETE_VAR).source(), nl=False)

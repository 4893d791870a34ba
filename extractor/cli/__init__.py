"""The ``nianbao`` command: a thin click group over the library, one module per command group.

Exit codes: 0 every document was read (flags or not); 1 a document failed or a
gate did not pass; 2 bad usage or configuration.
"""

from __future__ import annotations

import logging

import click

from .check import check_cmd
from .compare import compare_cmd
from .debug import debug_cmd
from .eval import eval_cmd
from .export import export_cmd
from .extract import extract_cmd
from .golden import golden_group
from .llm import llm_group
from .render import render_cmd
from .review import review_group
from .serve import serve_cmd
from .witnesses import witnesses_cmd

HELP = """Extract the numbers of 政府信息公开工作年度报告 with confidence, flags and evidence.

\b
Getting started:
  nianbao extract goldens/docs -o results.jsonl   read reports, write one record per document
  nianbao debug goldens/docs/003_c676913514f69321.txt   show every stage for one document
  nianbao eval                                   score the rule path against the goldens
  nianbao golden check goldens                   lint golden files

Every option can also be set as NIANBAO_<OPTION> (e.g. NIANBAO_REVIEW_THRESHOLD).
"""

@click.group(help=HELP, context_settings={"auto_envvar_prefix": "NIANBAO",
                                          "help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log progress details to stderr.")
def main(verbose: bool) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


for command in (extract_cmd, debug_cmd, eval_cmd, golden_group, export_cmd, review_group, serve_cmd,
                llm_group, render_cmd, check_cmd, compare_cmd):
    main.add_command(command)
eval_cmd.add_command(witnesses_cmd)

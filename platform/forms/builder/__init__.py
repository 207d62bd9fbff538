"""The form builder: clerks edit a draft version's definition in the browser, one small change
at a time, without writing JSON (and with the JSON as an expert view beside it).

`definition` finds and rearranges the parts of a definition, `conditions` and `fees` turn what a
clerk picks from lists into the engine's JSON logic and back into words, `services` are the
writes (each one change, the whole definition checked by the engine before it is saved), and
`views` the pages, every change a plain POST form that works without JavaScript."""

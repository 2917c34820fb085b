# The exit codes of joet-replay: 0 for --help, 2 for usage errors and bad scenarios (with a message on
# stderr naming the JSON path).
# cmake -DREPLAY=<joet-replay> -DOUT=<dir> -P exit_codes.cmake
file(MAKE_DIRECTORY ${OUT})
function(expect_exit code)
  execute_process(COMMAND ${REPLAY} ${ARGN} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL code)
    message(FATAL_ERROR "joet-replay ${ARGN}: exit ${rc}, expected ${code}; stderr: ${err}")
  endif()
  set(last_err "${err}" PARENT_SCOPE)
endfunction()

expect_exit(0 --help)
expect_exit(2)
expect_exit(2 --bogus)
expect_exit(2 --stuurinformatie 2026-01:2026-12)
expect_exit(2 ${OUT}/does-not-exist.json --stuurinformatie 2026-01)
expect_exit(2 ${OUT}/does-not-exist.json --stuurinformatie 2026-12:2026-01)
expect_exit(2 ${OUT}/does-not-exist.json --stuurinformatie 2016-01:2026-01)
if(NOT last_err MATCHES "at most 120 months")
  message(FATAL_ERROR "no range message: ${last_err}")
endif()
expect_exit(2 ${OUT}/does-not-exist.json)
file(WRITE ${OUT}/bad-time.json
  [=[{"institutions":[{"id":"rvdk","role":"RVDK"}],"blocks":[{"time":"2026-13-01T00:00:00Z"}]}]=])
expect_exit(2 ${OUT}/bad-time.json)
if(NOT last_err MATCHES "blocks\\[0\\]\\.time: BAD_TIME")
  message(FATAL_ERROR "no path in the message: ${last_err}")
endif()
file(WRITE ${OUT}/bad-id.json
  [=[{"institutions":[{"id":"Not A Code!","role":"RVDK"}],"blocks":[]}]=])
expect_exit(2 ${OUT}/bad-id.json)

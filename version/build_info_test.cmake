# version/build_info.cmake: the commit of this checkout (as `git rev-parse --short HEAD` says now, with
# -dirty exactly when `git status` lists changed tracked files), and "unknown" without git or outside
# the top of a checkout.
# cmake -DGIT=<git> -DSOURCE_DIR=<dir> -DSCRIPT=<build_info.cmake> -DTEMPLATE=<.h.in> -DOUT=<dir> -P build_info_test.cmake
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT}/not-a-checkout)

function(commit_of source git out_var)
  execute_process(COMMAND ${CMAKE_COMMAND} -DGIT=${git} -DSOURCE_DIR=${source} -DTEMPLATE=${TEMPLATE}
    -DOUT=${OUT}/build_info.h -P ${SCRIPT} RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "build_info.cmake failed (${rc}): ${err}")
  endif()
  file(STRINGS ${OUT}/build_info.h line REGEX "^#define JOET_GIT_COMMIT ")
  if(NOT line MATCHES "^#define JOET_GIT_COMMIT \"([^\"]*)\"$")
    message(FATAL_ERROR "no JOET_GIT_COMMIT in ${OUT}/build_info.h: ${line}")
  endif()
  set(${out_var} "${CMAKE_MATCH_1}" PARENT_SCOPE)
endfunction()

# This checkout.
set(expected "unknown")
if(GIT)
  execute_process(COMMAND ${GIT} -C ${SOURCE_DIR} rev-parse --short HEAD OUTPUT_VARIABLE head
    RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(rc EQUAL 0)
    execute_process(COMMAND ${GIT} -C ${SOURCE_DIR} status --porcelain --untracked-files=no
      OUTPUT_VARIABLE changes ERROR_QUIET)
    set(expected "${head}")
    if(NOT changes STREQUAL "")
      set(expected "${head}-dirty")
    endif()
  endif()
endif()
commit_of(${SOURCE_DIR} "${GIT}" commit)
if(NOT commit STREQUAL expected)
  message(FATAL_ERROR "build_info.cmake says ${commit}; git says ${expected}")
endif()
message(STATUS "this checkout: ${commit}")

# A folder that is not the top of a checkout (here: inside the build dir, which may sit inside one).
commit_of(${OUT}/not-a-checkout "${GIT}" commit)
if(NOT commit STREQUAL "unknown")
  message(FATAL_ERROR "outside a checkout build_info.cmake says ${commit}, expected unknown")
endif()
# No git at all.
commit_of(${SOURCE_DIR} "" commit)
if(NOT commit STREQUAL "unknown")
  message(FATAL_ERROR "without git build_info.cmake says ${commit}, expected unknown")
endif()

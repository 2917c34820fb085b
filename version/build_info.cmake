# Writes OUT from TEMPLATE with JOET_GIT_COMMIT: `git rev-parse --short HEAD` of SOURCE_DIR, with
# "-dirty" when tracked files differ from that commit; "unknown" when GIT is empty, SOURCE_DIR is not
# the top of a git checkout (a tarball, or a folder inside some other repository), or git fails (an
# unsafe owner, say). configure_file leaves OUT untouched when its content is the same.
# cmake -DGIT=<git or ""> -DSOURCE_DIR=<dir> -DTEMPLATE=<build_info.h.in> -DOUT=<header> -P build_info.cmake
set(JOET_GIT_COMMIT "unknown")
if(GIT)
  execute_process(COMMAND ${GIT} -C ${SOURCE_DIR} rev-parse --show-toplevel
    OUTPUT_VARIABLE top RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(rc EQUAL 0)
    file(REAL_PATH "${top}" top)
    file(REAL_PATH "${SOURCE_DIR}" source)
  endif()
  if(rc EQUAL 0 AND top STREQUAL source)
    execute_process(COMMAND ${GIT} -C ${SOURCE_DIR} rev-parse --short HEAD
      OUTPUT_VARIABLE commit RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(rc EQUAL 0 AND commit MATCHES "^[0-9a-f]+$")
      set(JOET_GIT_COMMIT "${commit}")
      execute_process(COMMAND ${GIT} -C ${SOURCE_DIR} status --porcelain --untracked-files=no
        OUTPUT_VARIABLE changes RESULT_VARIABLE rc ERROR_QUIET)
      if(NOT rc EQUAL 0 OR NOT changes STREQUAL "")
        string(APPEND JOET_GIT_COMMIT "-dirty")
      endif()
    endif()
  endif()
endif()
configure_file(${TEMPLATE} ${OUT} @ONLY)

# SPDX-License-Identifier: MIT
# cmake -DLAKEORM=tool -DOUT=dir -DPAGES="lakeorm;ingest;..." -P GenerateDocs.cmake:
# writes lakeorm.1 and lakeorm-<command>.1 from `lakeorm help --man`, and the
# bash and zsh completions from `lakeorm help --completion`.
file(MAKE_DIRECTORY ${OUT})
function(lake_print file)
  execute_process(COMMAND ${LAKEORM} help ${ARGN} OUTPUT_FILE ${OUT}/${file}.tmp RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "lakeorm help ${ARGN} failed: ${rc}")
  endif()
  file(RENAME ${OUT}/${file}.tmp ${OUT}/${file})
endfunction()
foreach(page IN LISTS PAGES)
  if(page STREQUAL "lakeorm")
    lake_print(lakeorm.1 --man)
  else()
    lake_print(lakeorm-${page}.1 --man ${page})
  endif()
endforeach()
lake_print(lakeorm.bash --completion bash)
lake_print(_lakeorm --completion zsh)

function(podnetc_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Wunused
                                           -Woverloaded-virtual -Wpedantic
                                           -Wnull-dereference
                                           -Wimplicit-fallthrough)
  if(PODNETC_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

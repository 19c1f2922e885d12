/* dladdr() for Windows extensions (zigimport/integrations/windows_implib.py).
 *
 * zig_core's error-trace and panic code asks dladdr() which binary an address belongs to; Windows has no
 * dladdr, so a Windows wheel's modules link this one: GetModuleHandleExW finds the module holding the
 * address, GetModuleFileNameA its path, kept in a static buffer of this module so the pointer stays valid
 * as dladdr's does (zig_core calls it when an error reaches Python, with the GIL held, or in a panic report,
 * while the process ends). */
#include <windows.h>

typedef struct {
    const char *dli_fname;
    void *dli_fbase;
    const char *dli_sname;
    void *dli_saddr;
} Dl_info;

int dladdr(const void *addr, Dl_info *info) {
    static char path[MAX_PATH + 1];
    HMODULE module;
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCWSTR)addr, &module))
        return 0;
    DWORD n = GetModuleFileNameA(module, path, MAX_PATH);
    if (n == 0 || n >= MAX_PATH) return 0;
    path[n] = 0;
    info->dli_fname = path;
    info->dli_fbase = (void *)module;
    info->dli_sname = NULL;
    info->dli_saddr = NULL;
    return 1;
}

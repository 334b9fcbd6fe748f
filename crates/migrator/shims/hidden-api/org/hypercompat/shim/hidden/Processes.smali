.class public final Lorg/hypercompat/shim/hidden/Processes;
.super Ljava/lang/Object;
.source "Processes.smali"

# Public equivalents of hidden process identity calls.

.method private constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

# ActivityThread.currentProcessName(): Application.getProcessName() is its public form (API 28);
# before API 28 the name is read from /proc/self/cmdline, which is what the platform wrote there.
.method public static currentProcessName()Ljava/lang/String;
    .registers 5
    sget v0, Landroid/os/Build$VERSION;->SDK_INT:I
    const/16 v1, 0x1c
    if-lt v0, v1, :old
    invoke-static {}, Landroid/app/Application;->getProcessName()Ljava/lang/String;
    move-result-object v0
    return-object v0
    :old
    :try_start
    new-instance v0, Ljava/io/BufferedReader;
    new-instance v1, Ljava/io/FileReader;
    const-string v2, "/proc/self/cmdline"
    invoke-direct {v1, v2}, Ljava/io/FileReader;-><init>(Ljava/lang/String;)V
    invoke-direct {v0, v1}, Ljava/io/BufferedReader;-><init>(Ljava/io/Reader;)V
    invoke-virtual {v0}, Ljava/io/BufferedReader;->readLine()Ljava/lang/String;
    move-result-object v1
    invoke-virtual {v0}, Ljava/io/BufferedReader;->close()V
    :try_end
    .catch Ljava/io/IOException; {:try_start .. :try_end} :failed
    if-eqz v1, :failed_null
    const/4 v2, 0x0
    invoke-virtual {v1, v2}, Ljava/lang/String;->indexOf(I)I
    move-result v3
    if-ltz v3, :whole
    invoke-virtual {v1, v2, v3}, Ljava/lang/String;->substring(II)Ljava/lang/String;
    move-result-object v1
    :whole
    return-object v1
    :failed
    :failed_null
    const/4 v0, 0x0
    return-object v0
.end method

# UserHandle.getUserId(int uid): user ids partition the uid space in ranges of 100000
# (UserHandle.PER_USER_RANGE), a constant of the platform's uid layout.
.method public static getUserId(I)I
    .registers 2
    const v0, 0x186a0
    div-int v0, p0, v0
    return v0
.end method

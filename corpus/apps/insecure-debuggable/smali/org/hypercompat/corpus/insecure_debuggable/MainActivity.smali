.class public Lorg/hypercompat/corpus/insecure_debuggable/MainActivity;
.super Landroid/app/Activity;
.source "MainActivity.java"


# direct methods
.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Landroid/app/Activity;-><init>()V

    return-void
.end method


# virtual methods
.method protected onCreate(Landroid/os/Bundle;)V
    .registers 6
    .param p1, "savedInstanceState"    # Landroid/os/Bundle;

    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V

    new-instance v0, Landroid/widget/TextView;

    invoke-direct {v0, p0}, Landroid/widget/TextView;-><init>(Landroid/content/Context;)V

    .local v0, "status":Landroid/widget/TextView;
    const-string v1, "Fetching http://example.com/ ..."

    invoke-virtual {v0, v1}, Landroid/widget/TextView;->setText(Ljava/lang/CharSequence;)V

    invoke-virtual {p0, v0}, Lorg/hypercompat/corpus/insecure_debuggable/MainActivity;->setContentView(Landroid/view/View;)V

    # plain-HTTP request off the main thread
    new-instance v1, Ljava/lang/Thread;

    new-instance v2, Lorg/hypercompat/corpus/insecure_debuggable/FetchTask;

    invoke-direct {v2, v0}, Lorg/hypercompat/corpus/insecure_debuggable/FetchTask;-><init>(Landroid/widget/TextView;)V

    const-string v3, "cleartext-fetch"

    invoke-direct {v1, v2, v3}, Ljava/lang/Thread;-><init>(Ljava/lang/Runnable;Ljava/lang/String;)V

    invoke-virtual {v1}, Ljava/lang/Thread;->start()V

    # kick the exported service
    new-instance v1, Landroid/content/Intent;

    const-class v2, Lorg/hypercompat/corpus/insecure_debuggable/SyncService;

    invoke-direct {v1, p0, v2}, Landroid/content/Intent;-><init>(Landroid/content/Context;Ljava/lang/Class;)V

    invoke-virtual {p0, v1}, Lorg/hypercompat/corpus/insecure_debuggable/MainActivity;->startService(Landroid/content/Intent;)Landroid/content/ComponentName;

    return-void
.end method
